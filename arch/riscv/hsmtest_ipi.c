/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * hsmtest's IPI and remote-fence checks around HSM states (hsmtest.c runs them): calls
 * whose hart mask names the online harts and a test hart that is STOPPED, START_PENDING
 * or SUSPENDED. What the specification allows (SBI v2.0 §7.1, §8.1, §8.2): the call
 * succeeds, or answers SBI_ERR_INVALID_PARAM because a hart it names is "not available
 * to the supervisor" (OpenSBI 1.7 reads a hart that is not started so). It never
 * hangs, never starts a stopped hart, never loses a start in progress, and an IPI to a
 * suspended hart wakes it (a fence may wake it too: that is an interrupt as well).
 */
#include "hsmtest_internal.h"
#include "sbi.h"
#include "arch.h"
#include "percpu.h"
#include <stdio.h>
#include <string.h>


void check_ipi_to_stopped(const struct hsm_run *run)
{
	(void)run;
	struct spare *s = &spares[0];
	long e = sbi_send_ipi_one(s->hartid);
	long st = wait_status(s->hartid, SBI_HSM_STARTED, 5);
	bool ok = (e == SBI_SUCCESS || e == SBI_ERR_INVALID_PARAM) && st == SBI_HSM_STOPPED;
	verdict(ok ? "PASS" : "DEVIATION", "send_ipi.stopped_hart", "SBI v2.0 §7.1, §9",
		"expected SBI_SUCCESS or SBI_ERR_INVALID_PARAM and the hart still STOPPED, got %s, %s",
		sbi_err_name(e), status_name(st));
}

/* The online harts and @extra as a mask from the lowest (harts 64 or more above it left out). */
static void mask_with(unsigned long extra, unsigned long *mask, unsigned long *base)
{
	unsigned long lo = extra;
	for (unsigned int cpu = 0; cpu < nr_cpu_ids; cpu++) {
		if (cpu_online(cpu) && cpus[cpu].hartid < lo) {
			lo = cpus[cpu].hartid;
		}
	}
	*base = lo;
	*mask = extra - lo < 64 ? 1ul << (extra - lo) : 0;
	for (unsigned int cpu = 0; cpu < nr_cpu_ids; cpu++) {
		if (cpu_online(cpu) && cpus[cpu].hartid - lo < 64) {
			*mask |= 1ul << (cpus[cpu].hartid - lo);
		}
	}
}

enum call { IPI, FENCE_I, SFENCE_VMA, NCALLS };
static const char *const call_names[NCALLS] = { "send_ipi", "remote_fence_i", "remote_sfence_vma" };

static long call_with(enum call c, unsigned long hartid)
{
	unsigned long mask, base;
	mask_with(hartid, &mask, &base);
	return c == IPI ? sbi_send_ipi_mask(mask, base) : sbi_remote_fence_mask(c == SFENCE_VMA, mask, base);
}

static bool code_ok(long e)
{
	return e == SBI_SUCCESS || e == SBI_ERR_INVALID_PARAM;
}

/* What went wrong first, for the verdict line. */
struct tally {
	unsigned int bad, pending_hits, pending_tries;
	char first[120];
};

static void note(struct tally *t, bool ok, const char *fmt, const char *call, const char *what)
{
	if (ok) {
		return;
	}
	t->bad++;
	if (!t->first[0]) {
		snprintf(t->first, sizeof(t->first), fmt, call, what);
	}
}

/* Whether the test hart is STOPPED for the next case (brought back if a case left it). */
static bool at_rest(enum call c, struct spare *s, struct tally *t)
{
	bool ok = hsm_rescue(s);
	note(t, ok, "; %s: %s", call_names[c], "the hart a case before left could not be stopped");
	return ok;
}

/* @c with the test hart STOPPED: a spec'd answer, and the hart stays STOPPED. */
static void stopped_case(enum call c, struct spare *s, struct tally *t)
{
	if (!at_rest(c, s, t)) {
		return;
	}
	long e = call_with(c, s->hartid);
	long st = wait_status(s->hartid, SBI_HSM_STARTED, 5);
	note(t, code_ok(e), "; %s to a STOPPED hart: %s", call_names[c], sbi_err_name(e));
	note(t, st == SBI_HSM_STOPPED, "; %s to a STOPPED hart left it %s", call_names[c], status_name(st));
}

/*
 * @c right after a start: a spec'd answer, and the start is not lost. For a fence the
 * started hart is held (HSM_MODE_HOLD) until the fence has returned: OpenSBI 1.1 never
 * finishes a fence whose IPI reaches a hart on its way into hart_stop (the torture
 * reports that race), and a busy host can delay the fence past any fixed while.
 */
static void start_pending_case(enum call c, struct spare *s, struct tally *t)
{
	struct hsm_record *r = s->rec;
	if (!at_rest(c, s, t)) {
		return;
	}
	unsigned long before = r->arrivals, opaque = ++opaque_gen;
	__atomic_store_n(&r->mode, c == IPI ? HSM_MODE_STOP : HSM_MODE_HOLD, __ATOMIC_RELEASE);
	long e0 = sbi_hart_start(s->hartid, (unsigned long)hsmtest_entry, opaque);
	if (e0) {
		__atomic_store_n(&r->mode, HSM_MODE_STOP, __ATOMIC_RELEASE);
		note(t, false, "; %s: the start before it failed: %s", call_names[c], sbi_err_name(e0));
		return;
	}
	long st = sbi_hart_get_status(s->hartid);
	long e = call_with(c, s->hartid);
	__atomic_store_n(&r->mode, HSM_MODE_STOP, __ATOMIC_RELEASE);   /* released if held */
	t->pending_tries++;
	t->pending_hits += st == SBI_HSM_START_PENDING;
	note(t, code_ok(e), "; %s to a starting hart: %s", call_names[c], sbi_err_name(e));
	bool arrived = wait_arrival(r, before, 1000) && r->seen_opaque == opaque;
	note(t, arrived, "; %s to a starting hart: %s", call_names[c], "the start was lost");
	long end = wait_status(s->hartid, SBI_HSM_STOPPED, 1000);
	note(t, end == SBI_HSM_STOPPED, "; %s to a starting hart: then %s", call_names[c], status_name(end));
}

/* @c with the test hart SUSPENDED: a spec'd answer, and the hart wakes (on @c if an IPI). */
static void suspended_case(enum call c, struct spare *s, struct tally *t)
{
	struct hsm_record *r = s->rec;
	if (!at_rest(c, s, t)) {
		return;
	}
	unsigned long before = r->arrivals, returns = r->susp_returns;
	r->susp_type = SBI_HSM_SUSPEND_RETENTIVE;
	r->susp_timer = 0;
	__atomic_store_n(&r->mode, HSM_MODE_SUSPEND, __ATOMIC_RELEASE);
	long e0 = sbi_hart_start(s->hartid, (unsigned long)hsmtest_entry, ++opaque_gen);
	long st = e0 || !wait_arrival(r, before, 1000) ? -1 : wait_status(s->hartid, SBI_HSM_SUSPENDED, 1000);
	__atomic_store_n(&r->mode, HSM_MODE_STOP, __ATOMIC_RELEASE);   /* read by now: it suspended */
	if (st != SBI_HSM_SUSPENDED) {
		/* hart_suspend.wakes_on_ipi reports a hart that does not suspend. */
		note(t, false, "; %s: the hart did not suspend (%s)", call_names[c], status_name(st));
		wait_status(s->hartid, SBI_HSM_STOPPED, 1000);
		return;
	}
	long e = call_with(c, s->hartid);
	note(t, c == IPI ? e == SBI_SUCCESS : code_ok(e), "; %s to a SUSPENDED hart: %s", call_names[c],
	     sbi_err_name(e));
	if (c != IPI) {
		sbi_send_ipi_one(s->hartid);     /* a fence need not wake it: this does */
	}
	bool woke = wait_count(&r->susp_returns, returns, 1000);
	note(t, woke, "; %s to a SUSPENDED hart: %s", call_names[c], c == IPI ? "the IPI was lost" :
	     "no wake-up after it");
	long end = wait_status(s->hartid, SBI_HSM_STOPPED, 1000);
	if (end == SBI_HSM_SUSPENDED) {
		sbi_send_ipi_one(s->hartid);
		end = wait_status(s->hartid, SBI_HSM_STOPPED, 1000);
	}
	note(t, end == SBI_HSM_STOPPED, "; %s to a SUSPENDED hart: then %s", call_names[c], status_name(end));
}

void check_ipi_and_fences(const struct hsm_run *run)
{
	(void)run;
	struct spare *s = &spares[0];
	struct tally ipi = { 0 }, fence = { 0 };
	bool have_rfence = sbi.has_rfence;

	for (enum call c = IPI; c < NCALLS; c++) {
		if (c != IPI && !have_rfence) {
			break;
		}
		struct tally *t = c == IPI ? &ipi : &fence;
		stopped_case(c, s, t);
		start_pending_case(c, s, t);
		suspended_case(c, s, t);
	}
	verdict(ipi.bad ? "DEVIATION" : "PASS", "send_ipi.hsm_states", "SBI v2.0 §7.1, §9",
		"expected SBI_SUCCESS or SBI_ERR_INVALID_PARAM for a mask naming the online harts and a "
		"STOPPED, a starting (read START_PENDING %u of %u times) and a SUSPENDED hart, the stopped "
		"one left STOPPED, the start not lost, the suspended one woken, got %s", ipi.pending_hits,
		ipi.pending_tries, ipi.bad ? ipi.first + 2 : "that");
	if (!have_rfence) {
		verdict("UNSUPPORTED", "remote_fence.hsm_states", "SBI v2.0 §8", "expected the RFENCE "
			"extension, got none");
		return;
	}
	verdict(fence.bad ? "DEVIATION" : "PASS", "remote_fence.hsm_states", "SBI v2.0 §8.1, §8.2, §9",
		"expected remote_fence_i and remote_sfence_vma to return SBI_SUCCESS or SBI_ERR_INVALID_PARAM "
		"for the same masks (starting: %u of %u reads START_PENDING), the stopped hart left STOPPED, "
		"the start not lost, the suspended one still woken by an IPI after, got %s",
		fence.pending_hits, fence.pending_tries, fence.bad ? fence.first + 2 : "that");
}
