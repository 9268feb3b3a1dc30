/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * hsmtest's torture (hsmtest.c runs it last: a firmware call that never returns leaves
 * the system a CPU short): random HSM, IPI and RFENCE
 * operations from every online hart at once, under load. Each online CPU (up to eight)
 * runs a controller thread that owns some of the stopped harts (spare i belongs to controller
 * i mod n) and, at random: starts an owned stopped hart (to stop at once, to stop with
 * interrupts on, or to suspend retentively or not), wakes an owned suspended hart with
 * an IPI, sends an IPI or a remote fence to a random mask of all harts (its own, the
 * others' and the online ones, in whatever state they are), or reads a random hart's
 * status. Beside each controller a load thread keeps its CPU busy with work and
 * cross-calls, and a started hart spins a random while before it acts.
 *
 * A deviation: a start that fails or never arrives, an arrival or resume with another
 * start's opaque, a hart that never stops, an IPI after which a suspended hart never
 * wakes, a status outside the spec's set (or not STOPPED for an owned hart at rest), an
 * IPI or fence answer other than SBI_SUCCESS or SBI_ERR_INVALID_PARAM. The seed makes
 * each controller's choices repeatable; the interleaving is the host's.
 */
#include "hsmtest_internal.h"
#include "sbi.h"
#include "arch.h"
#include "percpu.h"
#include "sched.h"
#include "smp.h"
#include "alloc.h"
#include "atomic.h"
#include "log.h"
#include "cpuhp.h"
#include <stdio.h>
#include <string.h>

#define TORTURE_SAMPLES 128             /* per kind and controller: the first ones */
#define MAX_CONTROLLERS 8               /* online CPUs beyond these take no part */

enum sample { S_START, S_STOP, S_WAKE, S_IPI, S_FENCE, NSAMPLES };
static const char *const sample_names[NSAMPLES] = {
	"torture start", "torture stop", "torture wake", "torture ipi", "torture fence",
};

struct owned {
	struct spare *s;
	bool sleeping;                  /* started to suspend, not yet woken */
	bool lost;                      /* never came back: left out from then on */
	bool non_retentive;
	unsigned long wake_count;       /* returns + resumes before that start */
};

struct controller {
	unsigned int cpu, nown;
	uint64_t rng;
	struct owned own[MAX_SPARES];
	unsigned int todo, starts, lost_harts, lost_ipis, wrong_entries, bad_statuses, bad_codes, failed_starts;
	bool may_fence, done;
	/* The fence in flight, if any: what a controller that never finishes was doing. */
	const char *inflight;
	unsigned long inflight_mask, inflight_base;
	char first[96];
	uint64_t samples[NSAMPLES][TORTURE_SAMPLES];
	unsigned int nsamples[NSAMPLES];
};

struct torture {
	struct controller *ctl[MAX_CONTROLLERS];
	unsigned int nctl;
	uint64_t merged[MAX_CONTROLLERS * TORTURE_SAMPLES];
	int stop_load;
	struct completion done;
	unsigned long load_sent[NR_CPUS], load_handled[NR_CPUS];
	unsigned long all_harts[NR_CPUS + MAX_SPARES];
	unsigned int nall;
};

static unsigned long rnd(struct controller *c)
{
	c->rng = c->rng * 6364136223846793005ull + 1442695040888963407ull;
	return (unsigned long)(c->rng >> 33);
}

static void sample(struct controller *c, enum sample k, uint64_t v)
{
	if (c->nsamples[k] < TORTURE_SAMPLES) {
		c->samples[k][c->nsamples[k]++] = v;
	}
}

static void bad(struct controller *c, unsigned int *counter, const char *what, unsigned long hart)
{
	(*counter)++;
	if (!c->first[0]) {
		snprintf(c->first, sizeof(c->first), "; first: %s (hart %lu, CPU%u)", what, hart, c->cpu);
	}
}

static unsigned long wake_count(struct hsm_record *r)
{
	return __atomic_load_n(&r->susp_returns, __ATOMIC_ACQUIRE) +
	       __atomic_load_n(&r->resumes, __ATOMIC_ACQUIRE);
}

static void start_owned(struct controller *c, struct owned *o)
{
	struct spare *s = o->s;
	struct hsm_record *r = s->rec;
	unsigned int kind = rnd(c) % 4;     /* stop, stop with SIE, suspend, suspend non-retentive */
	unsigned long before = r->arrivals, opaque = 0x5454000000000000ul | (unsigned long)c->cpu << 40 | ++c->starts;

	r->spin = rnd(c) % 4000;
	r->susp_timer = 0;
	r->resume_wait = 0;
	r->susp_type = kind == 3 ? SBI_HSM_SUSPEND_NON_RETENTIVE : SBI_HSM_SUSPEND_RETENTIVE;
	r->susp_resume = (unsigned long)hsmtest_resume;
	r->susp_opaque = opaque ^ 0x5a5a;
	o->wake_count = wake_count(r);
	__atomic_store_n(&r->mode, kind < 2 ? (kind ? HSM_MODE_STOP_SIE : HSM_MODE_STOP) : HSM_MODE_SUSPEND,
			 __ATOMIC_RELEASE);
	uint64_t t0 = arch_time_now();
	long e = sbi_hart_start(s->hartid, (unsigned long)hsmtest_entry, opaque);
	if (e) {
		bad(c, &c->failed_starts, sbi_err_name(e), s->hartid);
		return;
	}
	if (!wait_arrival(r, before, 1000)) {
		bad(c, &c->lost_harts, "a start that never arrived", s->hartid);
		o->lost = true;
		return;
	}
	uint64_t t1 = arch_time_now();
	sample(c, S_START, t1 - t0);
	if (r->seen_opaque != opaque || r->seen_hartid != s->hartid) {
		bad(c, &c->wrong_entries, "an arrival with another start's opaque", s->hartid);
	}
	if (kind >= 2) {
		o->sleeping = true;
		o->non_retentive = kind == 3;
		return;
	}
	if (wait_status(s->hartid, SBI_HSM_STOPPED, 1000) != SBI_HSM_STOPPED) {
		bad(c, &c->lost_harts, "a hart that never stopped", s->hartid);
		o->lost = true;
		return;
	}
	sample(c, S_STOP, arch_time_now() - t1);
}

/* Waits up to @ms for the hart's suspend to end (a return or a resume): whether it did. */
static bool wait_woken(struct hsm_record *r, unsigned long before, unsigned int ms)
{
	uint64_t give_up = arch_time_now() + log_timebase() / 1000 * ms;
	while (wake_count(r) == before) {
		if (arch_time_now() >= give_up) {
			return false;
		}
		arch_wait_brief(10);
	}
	return true;
}

static void wake_owned(struct controller *c, struct owned *o)
{
	struct spare *s = o->s;
	struct hsm_record *r = s->rec;
	/* Until it suspended, or someone else's IPI or fence already woke it. */
	uint64_t give_up = arch_time_now() + log_timebase();
	while (sbi_hart_get_status(s->hartid) != SBI_HSM_SUSPENDED && wake_count(r) == o->wake_count &&
	       arch_time_now() < give_up) {
		arch_wait_brief(10);
	}
	uint64_t t0 = arch_time_now();
	long e = sbi_send_ipi_one(s->hartid);
	if (e) {
		bad(c, &c->bad_codes, "an IPI to a suspended hart refused", s->hartid);
	}
	o->sleeping = false;
	if (!wait_woken(r, o->wake_count, 1000)) {
		bad(c, &c->lost_ipis, "a suspended hart an IPI never woke", s->hartid);
		o->lost = true;
		return;
	}
	sample(c, S_WAKE, arch_time_now() - t0);
	if (o->non_retentive && r->seen_opaque != r->susp_opaque) {
		bad(c, &c->wrong_entries, "a resume with another suspend's opaque", s->hartid);
	}
	if (wait_status(s->hartid, SBI_HSM_STOPPED, 1000) != SBI_HSM_STOPPED) {
		bad(c, &c->lost_harts, "a woken hart that never stopped", s->hartid);
		o->lost = true;
	}
}

/* An IPI or a remote fence to a random mask of every hart the test knows. */
static void call_random_mask(struct controller *c, struct torture *t, bool fence)
{
	unsigned long base = t->all_harts[0], mask = 0;
	for (unsigned int i = 1; i < t->nall; i++) {
		base = t->all_harts[i] < base ? t->all_harts[i] : base;
	}
	for (unsigned int i = 0; i < t->nall; i++) {
		if (t->all_harts[i] - base < 64 && rnd(c) % 2) {
			mask |= 1ul << (t->all_harts[i] - base);
		}
	}
	if (!mask) {
		return;
	}
	bool vma = rnd(c) % 2;
	c->inflight_mask = mask;
	c->inflight_base = base;
	__atomic_store_n(&c->inflight, !fence ? "send_ipi" : vma ? "remote_sfence_vma" : "remote_fence_i",
			 __ATOMIC_RELEASE);
	uint64_t t0 = arch_time_now();
	long e = fence ? sbi_remote_fence_mask(vma, mask, base) : sbi_send_ipi_mask(mask, base);
	sample(c, fence ? S_FENCE : S_IPI, arch_time_now() - t0);
	__atomic_store_n(&c->inflight, NULL, __ATOMIC_RELEASE);
	if (e != SBI_SUCCESS && e != SBI_ERR_INVALID_PARAM) {
		bad(c, &c->bad_codes, fence ? "a fence answered with another error" :
		    "an IPI answered with another error", base);
	}
}

static void read_random_status(struct controller *c, struct torture *t)
{
	unsigned long hart = t->all_harts[rnd(c) % t->nall];
	long st = sbi_hart_get_status(hart);
	if (st < SBI_HSM_STARTED || st > SBI_HSM_RESUME_PENDING) {
		bad(c, &c->bad_statuses, "a status outside the spec's set", hart);
	}
	for (unsigned int i = 0; i < c->nown; i++) {
		if (c->own[i].s->hartid == hart && !c->own[i].sleeping && !c->own[i].lost && st != SBI_HSM_STOPPED) {
			bad(c, &c->bad_statuses, "an owned hart at rest not STOPPED", hart);
		}
	}
}

static struct torture *torture;

static void controller_fn(void *arg)
{
	struct controller *c = arg;
	struct torture *t = torture;
	for (unsigned int i = 0; i < c->todo; i++) {
		unsigned int what = rnd(c) % 8;
		struct owned *o = c->nown ? &c->own[rnd(c) % c->nown] : NULL;
		if (o && o->lost) {
			continue;
		}
		if (o && what < 4) {
			if (o->sleeping) {
				wake_owned(c, o);
			} else {
				start_owned(c, o);
			}
		} else if (what < 6) {
			call_random_mask(c, t, what == 5 && c->may_fence);
		} else {
			read_random_status(c, t);
		}
		for (volatile unsigned int spin = rnd(c) % 2000; spin; spin--) {
		}
	}
	for (unsigned int i = 0; i < c->nown; i++) {
		if (c->own[i].sleeping && !c->own[i].lost) {
			wake_owned(c, &c->own[i]);
		}
	}
	__atomic_store_n(&c->done, true, __ATOMIC_RELEASE);
	complete(&t->done);
}

static void load_hit(void *arg)
{
	atomic_add((unsigned long *)arg, 1);
}

/*
 * Work and cross-calls on every online CPU until the controllers are done. The calls
 * do not wait, and a CPU gets the next only once it ran the last: one that a firmware
 * call never gave back must not take this CPU with it.
 */
static void load_fn(void *arg)
{
	struct torture *t = arg;
	unsigned int self = this_cpu_id(), cpu;
	while (!__atomic_load_n(&t->stop_load, __ATOMIC_ACQUIRE)) {
		for_each_cpu(cpu, &cpu_online_mask) {
			if (cpu != self && __atomic_load_n(&t->load_handled[cpu], __ATOMIC_ACQUIRE) ==
					   t->load_sent[cpu]) {
				preempt_disable();
				if (smp_call_function_single(cpu, load_hit, &t->load_handled[cpu], false) == 0) {
					atomic_add(&t->load_sent[cpu], 1);
				}
				preempt_enable();
			}
		}
		for (volatile unsigned int spin = 0; spin < 5000; spin++) {
		}
		/*
		 * Then halt a moment: under -icount a vCPU that only spins keeps the one
		 * emulation thread for a whole time slice, and the torture would crawl.
		 */
		arch_wait_brief(20);
		yield();
	}
	complete(&t->done);
}

/* What a controller that never finished was doing, and the named harts' status now. */
static void describe_hang(struct controller *c, const char *call, char *buf, size_t len)
{
	int n = snprintf(buf, len, "; CPU%u (hart %lu) never came back from %s", c->cpu,
			 cpus[c->cpu].hartid, call ? call : "its operations");
	if (!call) {
		return;
	}
	n += snprintf(buf + n, len - n, " (mask %#lx from hart %lu; now:", c->inflight_mask, c->inflight_base);
	for (unsigned int i = 0; i < 64 && n < (int)len; i++) {
		if (c->inflight_mask & (1ul << i)) {
			unsigned long hart = c->inflight_base + i;
			n += snprintf(buf + n, len - n, " %lu %s", hart, status_name(sbi_hart_get_status(hart)));
		}
	}
	if (n < (int)len) {
		snprintf(buf + n, len - n, ")");
	}
}

void check_torture(const struct hsm_run *run)
{
	unsigned int ops = run->quick ? 200 : 2000;
	unsigned long seed = run->seed;
	const char *sec = "SBI v2.0 §7.1, §8, §9";
	struct torture *t = kzalloc(sizeof(*t));
	if (!t) {
		verdict("SKIP", "torture.random_operations", sec, "expected memory for the torture, got none");
		return;
	}
	torture = t;
	completion_init(&t->done);
	unsigned int cpu;
	for_each_cpu(cpu, &cpu_online_mask) {
		t->all_harts[t->nall++] = cpus[cpu].hartid;
		struct controller *c = t->nctl < MAX_CONTROLLERS ? kzalloc(sizeof(*c)) : NULL;
		if (c) {
			t->ctl[t->nctl++] = c;
			c->cpu = cpu;
			/*
			 * Not the reporting CPU. And none under -icount: there a fence the
			 * firmware never finishes stalls QEMU's one emulation thread, so
			 * that no CPU can report it (seen with OpenSBI 1.1).
			 */
			c->may_fence = cpu != this_cpu_id() && !run->icount;
			c->rng = seed * 0x9e3779b97f4a7c15ull + cpu;
		}
	}
	if (!t->nctl) {
		verdict("SKIP", "torture.random_operations", sec, "expected memory for the torture, got none");
		kfree(t);
		return;
	}
	/* Only harts at rest take part: a check before may have lost one. */
	for (unsigned int i = 0, n = 0; i < nspares; i++) {
		t->all_harts[t->nall++] = spares[i].hartid;
		if (sbi_hart_get_status(spares[i].hartid) == SBI_HSM_STOPPED) {
			struct controller *c = t->ctl[n++ % t->nctl];
			c->own[c->nown++] = (struct owned){ .s = &spares[i] };
		}
	}
	unsigned int threads = 0, loads = 0;
	for (unsigned int i = 0; i < t->nctl; i++) {
		struct controller *c = t->ctl[i];
		c->todo = ops / t->nctl;
		char name[TASK_NAME_LEN];
		snprintf(name, sizeof(name), "hsmtorture/%u", c->cpu);
		struct task *ctl = kthread_create(controller_fn, c, name);
		snprintf(name, sizeof(name), "hsmload/%u", c->cpu);
		struct task *load = ctl ? kthread_create(load_fn, t, name) : NULL;
		if (ctl) {
			kthread_bind(ctl, c->cpu);
			wake_up_task(ctl);
			threads++;
		}
		if (load) {
			kthread_bind(load, c->cpu);
			wake_up_task(load);
			loads++;
		}
	}
	/*
	 * A firmware call that never returns takes its hart with it, and no code of ours
	 * runs there again; so this CPU, which sends no fence, waits with a deadline and
	 * reports what such a controller was doing.
	 */
	uint64_t deadline = deadline_after_ms(5000 + ops * 5);
	unsigned int finished = 0;
	while (finished < threads + loads && !deadline_passed(deadline)) {
		if (wait_for_completion_timeout(&t->done, 100) == 0) {
			finished++;
		}
		if (finished == threads) {
			__atomic_store_n(&t->stop_load, 1, __ATOMIC_RELEASE);
		}
	}
	__atomic_store_n(&t->stop_load, 1, __ATOMIC_RELEASE);

	struct controller sum = { 0 };
	const char *first = "";
	unsigned int hung = 0;
	char hang[144] = "";
	for (unsigned int i = 0; i < t->nctl; i++) {
		struct controller *c = t->ctl[i];
		if (!__atomic_load_n(&c->done, __ATOMIC_ACQUIRE)) {
			const char *call = __atomic_load_n(&c->inflight, __ATOMIC_ACQUIRE);
			if (!hung++) {
				describe_hang(c, call, hang, sizeof(hang));
			}
			cpu_mark_lost(c->cpu, call ? call : "hsmtest's torture");
			continue;
		}
		sum.lost_harts += c->lost_harts;
		sum.lost_ipis += c->lost_ipis;
		sum.wrong_entries += c->wrong_entries;
		sum.bad_statuses += c->bad_statuses;
		sum.bad_codes += c->bad_codes;
		sum.failed_starts += c->failed_starts;
		first = first[0] ? first : c->first;
	}
	unsigned int bad = sum.lost_harts + sum.lost_ipis + sum.wrong_entries + sum.bad_statuses +
			   sum.bad_codes + sum.failed_starts + hung;
	verdict(threads != t->nctl ? "SKIP" : bad ? "DEVIATION" : "PASS", "torture.random_operations", sec,
		"expected %u random operations from %u harts at once under load to lose no hart, IPI or "
		"caller and enter with the right opaque, got %u lost harts, %u lost IPIs, %u hung calls, "
		"%u wrong entries, %u other faults (seed %lu)%s%s", ops / t->nctl * t->nctl, threads,
		sum.lost_harts, sum.lost_ipis, hung, sum.wrong_entries,
		sum.bad_statuses + sum.bad_codes + sum.failed_starts, seed, hang, hung ? "" : first);
	for (enum sample k = S_START; k < NSAMPLES; k++) {
		unsigned int n = 0;
		for (unsigned int i = 0; i < t->nctl; i++) {
			for (unsigned int j = 0; j < t->ctl[i]->nsamples[k]; j++) {
				t->merged[n++] = t->ctl[i]->samples[k][j];
			}
		}
		if (n) {
			hsm_latency_row(sample_names[k], t->merged, n);
		}
	}
	/* Every owned hart is back at rest: the checks after may use them. */
	for (unsigned int i = 0; i < nspares; i++) {
		__atomic_store_n(&spares[i].rec->mode, HSM_MODE_STOP, __ATOMIC_RELEASE);
		spares[i].rec->spin = 0;
	}
	if (hung || finished < threads + loads) {
		/* Threads still hold them: left allocated, as the hung harts are left. */
		console_printf("hsmtest: %u CPU%s lost in the firmware: hotplug is disabled; reboot or "
			       "poweroff goes on without %s\n", hung, hung == 1 ? " is" : "s are",
			       hung == 1 ? "it" : "them");
		return;
	}
	torture = NULL;
	for (unsigned int i = 0; i < t->nctl; i++) {
		kfree(t->ctl[i]);
	}
	kfree(t);
}
