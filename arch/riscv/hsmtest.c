/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * hsmtest's kernel side (issue 14; docs/hsmtest.md): `hsm test [quick] [seed N] [json] [icount]` checks
 * the firmware's SBI HSM extension, and the IPI call around it, against the SBI
 * specification, on the harts the kernel leaves stopped (boot with maxcpus= below the
 * hart count: tools/hsmtest does) and on the online ones. One line per check:
 *
 *   PASS|DEVIATION|UNSUPPORTED|SKIP  name — expected ..., got ... (SBI v2.0 §N)
 *
 * then a summary line and the latency table (hsmtest_report.c). Verdicts come only from
 * what the firmware does: its implementation and version are printed, never consulted.
 * The started harts enter at hsmtest_entry (entry.S), which records a0, a1, satp and
 * sstatus in the hart's armed record and stops it again; a fresh opaque each start
 * shows an arrival with a stale one. Here: the harts, the start and stop checks and
 * the command; the suspend checks are hsmtest_suspend.c's. Section numbers are those of
 * the SBI specification v2.0, whose HSM chapter says the same as v1.0's for
 * everything checked here.
 */
#include <stdio.h>
#include <string.h>
#include "hsmtest_internal.h"
#include "sbi.h"
#include "arch.h"
#include "percpu.h"
#include "cpuhp.h"
#include "command.h"
#include "cmdline.h"
#include "log.h"
#include "err.h"
#include "smp.h"
#include "sched.h"

struct hsm_record hsm_records[HSM_RECORDS];

#define MAX_SAMPLES 1024

const char *status_name(long s)
{
	static const char *const names[] = { "STARTED", "STOPPED", "START_PENDING", "STOP_PENDING",
					     "SUSPENDED", "SUSPEND_PENDING", "RESUME_PENDING" };
	return s >= 0 && s < (long)ARRAY_SIZE(names) ? names[s] : sbi_err_name(s);
}

/* Waits up to @ms for @hartid's status to be @want; the last status seen. */
long wait_status(unsigned long hartid, long want, unsigned int ms)
{
	uint64_t give_up = arch_time_now() + log_timebase() / 1000 * ms;
	long s;
	while ((s = sbi_hart_get_status(hartid)) != want && arch_time_now() < give_up) {
		arch_wait_brief(10);
	}
	return s;
}

/* Waits up to @ms for @counter to pass @before: whether it did. */
bool wait_count(unsigned long *counter, unsigned long before, unsigned int ms)
{
	uint64_t give_up = arch_time_now() + log_timebase() / 1000 * ms;
	while (__atomic_load_n(counter, __ATOMIC_ACQUIRE) == before) {
		if (arch_time_now() >= give_up) {
			return false;
		}
		arch_wait_brief(10);
	}
	return true;
}

bool wait_arrival(struct hsm_record *r, unsigned long before, unsigned int ms)
{
	return wait_count(&r->arrivals, before, ms);
}

struct spare spares[MAX_SPARES];
unsigned int nspares;
unsigned long opaque_gen = 0x4853000000000000ul;   /* fresh for every start */

/* One start of @s at hsmtest_entry: 0 arrived with the right opaque, else why not. */
enum outcome { ARRIVED, STALE, START_FAILED, NO_ARRIVAL, NOT_STOPPED };

static enum outcome start_once(struct spare *s, long *err, uint64_t *to_arrive, uint64_t *to_stop)
{
	struct hsm_record *r = s->rec;
	unsigned long before = r->arrivals, opaque = ++opaque_gen;
	r->seen_opaque = 0;
	uint64_t t0 = arch_time_now();
	*err = sbi_hart_start(s->hartid, (unsigned long)hsmtest_entry, opaque);
	if (*err) {
		return START_FAILED;
	}
	if (!wait_arrival(r, before, 1000)) {
		return NO_ARRIVAL;
	}
	uint64_t t1 = arch_time_now();
	long st = wait_status(s->hartid, SBI_HSM_STOPPED, 1000);
	uint64_t t2 = arch_time_now();
	*to_arrive = t1 - t0;
	*to_stop = t2 - t1;
	if (st != SBI_HSM_STOPPED) {
		return NOT_STOPPED;
	}
	return r->seen_opaque == opaque ? ARRIVED : STALE;
}

static void find_harts(unsigned long *max_hart)
{
	nspares = 0;
	*max_hart = 0;
	for (unsigned int cpu = 0; cpu < nr_cpu_ids; cpu++) {
		unsigned long h = cpus[cpu].hartid;
		*max_hart = h > *max_hart ? h : *max_hart;
		if (!cpu_online(cpu) && nspares < MAX_SPARES &&
		    sbi_hart_get_status(h) == SBI_HSM_STOPPED) {
			struct hsm_record *r = &hsm_records[nspares];
			memset(r, 0, sizeof(*r));
			r->hartid = h;
			__atomic_store_n(&r->armed, 1, __ATOMIC_RELEASE);
			spares[nspares++] = (struct spare){ h, r };
		}
	}
}

static void check_status_of_every_hart(void)
{
	char got[160] = "";
	bool ok = true;
	for (unsigned int cpu = 0; cpu < nr_cpu_ids; cpu++) {
		long s = sbi_hart_get_status(cpus[cpu].hartid);
		long want = cpu_online(cpu) ? SBI_HSM_STARTED : SBI_HSM_STOPPED;
		if (s != want) {
			size_t n = strlen(got);
			snprintf(got + n, sizeof(got) - n, "%shart %lu %s", ok ? "" : ", ",
				 cpus[cpu].hartid, status_name(s));
			ok = false;
		}
	}
	verdict(ok ? "PASS" : "DEVIATION", "hart_get_status.every_hart", "SBI v2.0 §9.3",
		"expected STARTED for the %u online harts and STOPPED for the others, got %s",
		cpumask_weight(&cpu_online_mask), ok ? "that" : got);
}

static void check_invalid_hartid(unsigned long max_hart)
{
	unsigned long bad[] = { max_hart + 1, 0xffffful, ~0ul };
	long got_status = SBI_ERR_INVALID_PARAM, got_start = SBI_ERR_INVALID_PARAM;
	unsigned long at_s = 0, at_t = 0;
	for (unsigned int i = 0; i < ARRAY_SIZE(bad); i++) {
		long s = sbi_hart_get_status(bad[i]);
		if (s != SBI_ERR_INVALID_PARAM && got_status == SBI_ERR_INVALID_PARAM) {
			got_status = s;
			at_s = bad[i];
		}
		long e = sbi_hart_start(bad[i], (unsigned long)hsmtest_entry, 0);
		if (e != SBI_ERR_INVALID_PARAM && got_start == SBI_ERR_INVALID_PARAM) {
			got_start = e;
			at_t = bad[i];
		}
	}
	char got[64];
	snprintf(got, sizeof(got), "%s for %#lx", status_name(got_status), at_s);
	verdict(got_status == SBI_ERR_INVALID_PARAM ? "PASS" : "DEVIATION",
		"hart_get_status.invalid_hartid", "SBI v2.0 §9.3",
		"expected SBI_ERR_INVALID_PARAM for hart ids %lu, %#lx, %#lx, got %s", bad[0], bad[1],
		bad[2], got_status == SBI_ERR_INVALID_PARAM ? "it for each" : got);
	snprintf(got, sizeof(got), "%s for %#lx", sbi_err_name(got_start), at_t);
	verdict(got_start == SBI_ERR_INVALID_PARAM ? "PASS" : "DEVIATION",
		"hart_start.invalid_hartid", "SBI v2.0 §9.1",
		"expected SBI_ERR_INVALID_PARAM for the same ids, got %s",
		got_start == SBI_ERR_INVALID_PARAM ? "it for each" : got);
}

static void check_already_started(void)
{
	unsigned int self = this_cpu_id(), other = self;
	for (unsigned int cpu = 0; cpu < nr_cpu_ids; cpu++) {
		if (cpu != self && cpu_online(cpu)) {
			other = cpu;
		}
	}
	long e_self = sbi_hart_start(cpus[self].hartid, (unsigned long)hsmtest_entry, 0);
	long e_other = other == self ? SBI_ERR_ALREADY_AVAILABLE
				     : sbi_hart_start(cpus[other].hartid, (unsigned long)hsmtest_entry, 0);
	bool ok = e_self == SBI_ERR_ALREADY_AVAILABLE && e_other == SBI_ERR_ALREADY_AVAILABLE;
	verdict(ok ? "PASS" : "DEVIATION", "hart_start.already_started", "SBI v2.0 §9.1",
		"expected SBI_ERR_ALREADY_AVAILABLE on the calling hart and on another started one%s, "
		"got %s and %s", other == self ? " (none online)" : "", sbi_err_name(e_self),
		other == self ? "-" : sbi_err_name(e_other));
}

/* An address the firmware keeps for itself (the start of RAM: OpenSBI's own image). */
static void check_firmware_address(const struct hsm_run *run)
{
	uint64_t fw_base = arch_firmware_base();
	(void)run;
	struct spare *s = &spares[0];
	long e = sbi_hart_start(s->hartid, (unsigned long)fw_base, 0);
	verdict(e == SBI_ERR_INVALID_ADDRESS ? "PASS" : "DEVIATION", "hart_start.firmware_address",
		"SBI v2.0 §9.1", "expected SBI_ERR_INVALID_ADDRESS for %#llx (M-mode only), got %s",
		(unsigned long long)fw_base, sbi_err_name(e));
	if (e == SBI_SUCCESS) {
		verdict("SKIP", "hart_start.after_failed_start", "SBI v2.0 §9.1",
			"expected a start that failed, got hart %lu running firmware code", s->hartid);
		nspares--;                   /* that hart is lost to the rest */
		spares[0] = spares[nspares];
		return;
	}
	long st = sbi_hart_get_status(s->hartid);
	long e2 = 0;
	uint64_t a, b;
	enum outcome o = st == SBI_HSM_STOPPED ? start_once(s, &e2, &a, &b) : START_FAILED;
	verdict(st == SBI_HSM_STOPPED && o == ARRIVED ? "PASS" : "DEVIATION",
		"hart_start.after_failed_start", "SBI v2.0 §9.1",
		"expected the hart STOPPED and then startable, got %s%s", status_name(st),
		st != SBI_HSM_STOPPED ? "" : o == ARRIVED ? ", started" : ", not startable");
}

static void check_entry_state(const struct hsm_run *run)
{
	(void)run;
	struct spare *s = &spares[0];
	long e = 0;
	uint64_t a, b;
	enum outcome o = start_once(s, &e, &a, &b);
	struct hsm_record *r = s->rec;
	if (o != ARRIVED && o != STALE) {
		verdict("DEVIATION", "hart_start.entry_state", "SBI v2.0 §9.1",
			"expected the hart to arrive, got %s", o == START_FAILED ? sbi_err_name(e) :
			o == NO_ARRIVAL ? "no arrival in 1 s" : "no STOPPED after its hart_stop");
		return;
	}
	bool ok = o == ARRIVED && r->seen_hartid == s->hartid && r->satp == 0 &&
		  !(r->sstatus & SSTATUS_SIE_BIT);
	verdict(ok ? "PASS" : "DEVIATION", "hart_start.entry_state", "SBI v2.0 §9.1",
		"expected a0 = hart id %lu, a1 = the opaque, satp = 0, sstatus.SIE = 0, got a0 = %lu, "
		"a1 = %s, satp = %#lx, SIE = %lu", s->hartid, r->seen_hartid,
		o == ARRIVED ? "its opaque" : "another start's opaque", r->satp,
		(r->sstatus & SSTATUS_SIE_BIT) >> 1);
}

static const char *outcome_name(enum outcome o, long err)
{
	return o == ARRIVED ? "an arrival with its opaque" : o == STALE ? "an arrival with a stale opaque" :
	       o == START_FAILED ? sbi_err_name(err) : o == NO_ARRIVAL ? "no arrival in 1 s" :
	       "no STOPPED in 1 s after its hart_stop";
}

/*
 * A start address no instruction can begin at (odd). The specification lists no error
 * for it; it promises the hart running from the address, or an error that leaves the
 * hart STOPPED and startable (SBI v2.0 §9.1). A conforming hart cannot hold an odd PC
 * (mepc[0] is always 0) and runs from the even address below; QEMU runs from the odd
 * one. hsmtest_odd_pad (entry.S) brings both to hsmtest_entry and tells which it was;
 * a hart that never arrives is lost.
 */
static void check_misaligned_address(const struct hsm_run *run)
{
	(void)run;
	struct spare *s = &spares[0];
	struct hsm_record *r = s->rec;
	unsigned long before = r->arrivals, opaque = ++opaque_gen;
	long e = sbi_hart_start(s->hartid, (unsigned long)hsmtest_odd_pad + 1, opaque);
	bool ok;
	char got[96];
	if (e == SBI_SUCCESS) {
		bool arrived = wait_arrival(r, before, 1000) && r->seen_opaque == opaque;
		long st = wait_status(s->hartid, SBI_HSM_STOPPED, 1000);
		ok = arrived && st == SBI_HSM_STOPPED;
		snprintf(got, sizeof(got), "SBI_SUCCESS and %s", !arrived ? "no arrival: the hart is lost" :
			 st != SBI_HSM_STOPPED ? "no STOPPED after" : r->odd_entry ?
			 "the hart running from the odd address itself" : "the hart running at the even address");
	} else {
		long st = sbi_hart_get_status(s->hartid), e2 = 0;
		uint64_t a, b;
		enum outcome o = st == SBI_HSM_STOPPED ? start_once(s, &e2, &a, &b) : START_FAILED;
		ok = (e == SBI_ERR_INVALID_ADDRESS || e == SBI_ERR_INVALID_PARAM) && o == ARRIVED;
		snprintf(got, sizeof(got), "%s, then %s%s", sbi_err_name(e), status_name(st),
			 st == SBI_HSM_STOPPED && o != ARRIVED ? " but not startable" : "");
	}
	verdict(ok ? "PASS" : "DEVIATION", "hart_start.misaligned_address", "SBI v2.0 §9.1",
		"expected for start address %#lx SBI_ERR_INVALID_ADDRESS or SBI_ERR_INVALID_PARAM with the "
		"hart left STOPPED, or SBI_SUCCESS and the hart running there or at %#lx, got %s",
		(unsigned long)hsmtest_odd_pad + 1, (unsigned long)hsmtest_odd_pad, got);
}

/*
 * hart_stop with supervisor interrupts disabled, as the specification asks (SBI v2.0
 * §9.2): it does not return and the hart is STOPPED. With them enabled (sstatus.SIE and
 * sie.SSIE on, nothing pending), which the caller is told not to do: the hart stops
 * anyway or the call answers its one error, SBI_ERR_FAILED; no interrupt reaches S-mode
 * meanwhile, and the next start still enters with SIE = 0.
 */
static void check_stop_interrupts(const struct hsm_run *run)
{
	(void)run;
	struct spare *s = &spares[0];
	struct hsm_record *r = s->rec;
	long e = 0;
	uint64_t a, b;

	enum outcome o = start_once(s, &e, &a, &b);
	verdict(o == ARRIVED ? "PASS" : "DEVIATION", "hart_stop.interrupts_disabled", "SBI v2.0 §9.2",
		"expected hart_stop with sstatus.SIE = 0 not to return and the hart to be STOPPED, got %s",
		outcome_name(o, e));
	if (o != ARRIVED) {
		verdict("SKIP", "hart_stop.interrupts_enabled", "SBI v2.0 §9.2", "expected a hart that "
			"starts and stops, got %s", outcome_name(o, e));
		return;
	}
	unsigned long returns = r->stop_returns, traps = r->traps;
	__atomic_store_n(&r->mode, HSM_MODE_STOP_SIE, __ATOMIC_RELEASE);
	o = start_once(s, &e, &a, &b);
	__atomic_store_n(&r->mode, HSM_MODE_STOP, __ATOMIC_RELEASE);
	bool returned = __atomic_load_n(&r->stop_returns, __ATOMIC_ACQUIRE) != returns;
	bool trapped = __atomic_load_n(&r->traps, __ATOMIC_ACQUIRE) != traps;
	long ret = r->stop_ret, e2 = 0;
	enum outcome next = o == ARRIVED ? start_once(s, &e2, &a, &b) : START_FAILED;
	bool sie_after = next == ARRIVED && (r->sstatus & SSTATUS_SIE_BIT);
	bool ok = o == ARRIVED && (!returned || ret == SBI_ERR_FAILED) && !trapped && next == ARRIVED &&
		  !sie_after;
	char got[128];
	snprintf(got, sizeof(got), "%s%s%s, then %s%s", outcome_name(o, e),
		 returned ? ", hart_stop returned " : ", hart_stop did not return",
		 returned ? sbi_err_name(ret) : "", trapped ? "an interrupt taken in S-mode; " : "",
		 next != ARRIVED ? outcome_name(next, e2) : sie_after ? "a start with SIE = 1" :
		 "a start with SIE = 0");
	verdict(ok ? "PASS" : "DEVIATION", "hart_stop.interrupts_enabled", "SBI v2.0 §9.2",
		"expected hart_stop with sstatus.SIE = 1 to stop the hart or answer SBI_ERR_FAILED, no "
		"interrupt in S-mode, and the next start entering with SIE = 0, got %s", got);
}

/*
 * Two harts start one stopped hart at the same moment: another online CPU, in a
 * cross-call, waits for the word to go, as this one gives it and starts too.
 */
static struct race {
	unsigned long target, opaque;
	int ready, go;
	long err;
	int done;
} race;

static void race_other(void *arg)
{
	(void)arg;
	__atomic_store_n(&race.ready, 1, __ATOMIC_RELEASE);
	/*
	 * Spin, so that "go" is seen at once (a halted vCPU wakes tens of microseconds late
	 * under default QEMU), but not for long: under single-threaded TCG a spinning vCPU
	 * keeps the one emulation thread from the CPU that is to say go. Then halt.
	 */
	for (unsigned int spins = 0; !__atomic_load_n(&race.go, __ATOMIC_ACQUIRE); spins++) {
		if (spins > 200000) {
			arch_wait_brief(1);
		}
	}
	race.err = sbi_hart_start(race.target, (unsigned long)hsmtest_entry, race.opaque);
	__atomic_store_n(&race.done, 1, __ATOMIC_RELEASE);
}

static void check_concurrent_starts(const struct hsm_run *run)
{
	unsigned int rounds = run->quick ? 8 : 32;
	unsigned int self = this_cpu_id(), other = self, bad = 0, lost = 0, one_after_the_other = 0;
	char first[120] = "";
	for (unsigned int cpu = 0; cpu < nr_cpu_ids; cpu++) {
		if (cpu != self && cpu_online(cpu)) {
			other = cpu;
		}
	}
	if (other == self) {
		verdict("SKIP", "hart_start.concurrent", "SBI v2.0 §9.1",
			"expected a second started hart to race with, got none (boot with maxcpus=2)");
		return;
	}
	struct spare *s = &spares[0];
	for (unsigned int i = 0; i < rounds; i++) {
		unsigned long before = s->rec->arrivals, mine = ++opaque_gen;
		race = (struct race){ .target = s->hartid, .opaque = ++opaque_gen };
		preempt_disable();           /* the cross-call rule (smp.c), though hotplug is off */
		int queued = smp_call_function_single(other, race_other, NULL, false);
		preempt_enable();
		if (queued) {
			break;
		}
		/* Both at the line, then go: the two starts leave within a few instructions. */
		uint64_t give_up = arch_time_now() + log_timebase();
		for (unsigned int spins = 0; !__atomic_load_n(&race.ready, __ATOMIC_ACQUIRE) &&
					     arch_time_now() < give_up; spins++) {
			if (spins > 100000) {
				arch_wait_brief(1);   /* as in race_other: spin a while, then halt */
			}
		}
		if (!__atomic_load_n(&race.ready, __ATOMIC_ACQUIRE)) {
			/* Should the call run later, its start names no hart and fails. */
			race.target = ~0ul;
			__atomic_store_n(&race.go, 1, __ATOMIC_RELEASE);
			verdict("SKIP", "hart_start.concurrent", "SBI v2.0 §9.1", "expected CPU%u to take "
				"part, got no answer to the cross-call in 1 s", other);
			return;
		}
		__atomic_store_n(&race.go, 1, __ATOMIC_RELEASE);
		long e = sbi_hart_start(s->hartid, (unsigned long)hsmtest_entry, mine);
		give_up = arch_time_now() + log_timebase();
		while (!__atomic_load_n(&race.done, __ATOMIC_ACQUIRE) && arch_time_now() < give_up) {
			arch_wait_brief(10);
		}
		if (!__atomic_load_n(&race.done, __ATOMIC_ACQUIRE)) {
			race.err = SBI_ERR_FAILED;   /* its hart_start never returned: counted below */
		}
		/*
		 * Exactly one start succeeds and the hart arrives with its opaque. Both may
		 * succeed only one after the other (the second came once the hart had
		 * stopped again, as a busy host can delay a vCPU): then it arrives twice.
		 */
		unsigned int wins = (e == SBI_SUCCESS) + (race.err == SBI_SUCCESS);
		bool arrived = wins >= 1 && wait_arrival(s->rec, before, 1000);
		if (wins == 2) {
			arrived = arrived && wait_arrival(s->rec, before + 1, 1000);
		}
		unsigned long want = e == SBI_SUCCESS ? mine : race.opaque;
		bool stopped = wait_status(s->hartid, SBI_HSM_STOPPED, 1000) == SBI_HSM_STOPPED;
		bool ok = arrived && stopped && (wins == 2 || s->rec->seen_opaque == want);
		if (ok && wins == 2) {
			one_after_the_other++;
		} else if (!ok) {
			bad++;
			lost += !stopped;
			if (!first[0]) {
				snprintf(first, sizeof(first), ", first: %s and %s%s", sbi_err_name(e),
					 sbi_err_name(race.err), !arrived ? ", too few arrivals" :
					 !stopped ? ", not STOPPED" : ", the loser's opaque");
			}
		}
	}
	if (!bad && one_after_the_other == rounds) {
		/* Nothing was tested: the two starts never met. */
		verdict("SKIP", "hart_start.concurrent", "SBI v2.0 §9.1", "expected two starts to meet "
			"at least once in %u rounds, got each time one after the other", rounds);
		return;
	}
	verdict(bad ? "DEVIATION" : "PASS", "hart_start.concurrent", "SBI v2.0 §9.1",
		"expected one of two simultaneous starts to succeed and the hart to arrive with its "
		"opaque, %u times, got %u otherwise (%u harts lost; %u rounds came one after the "
		"other)%s", rounds, bad, lost, one_after_the_other, first);
}

static uint64_t arrive_t[MAX_SAMPLES], stop_t[MAX_SAMPLES];

static uint64_t seed_state;
static unsigned long next_random(void)
{
	seed_state = seed_state * 6364136223846793005ull + 1442695040888963407ull;
	return (unsigned long)(seed_state >> 33);
}

/* Start/stop cycles over every spare hart, in a random order with random pauses. */
static void check_repeated(const struct hsm_run *run)
{
	unsigned int rounds = run->quick ? 16 : 200;
	unsigned long seed = run->seed;
	unsigned int n = 0, stale = 0, lost = 0, failed = 0;
	long first_err = 0;
	seed_state = seed;
	for (unsigned int i = 0; i < rounds && nspares; i++) {
		struct spare *s = &spares[next_random() % nspares];
		long e = 0;
		uint64_t a = 0, b = 0;
		enum outcome o = start_once(s, &e, &a, &b);
		stale += o == STALE;
		lost += o == NO_ARRIVAL || o == NOT_STOPPED;
		if (o == START_FAILED) {
			failed++;
			first_err = first_err ? first_err : e;
		}
		if ((o == ARRIVED || o == STALE) && n < MAX_SAMPLES) {
			arrive_t[n] = a;
			stop_t[n++] = b;
		}
		arch_wait_brief(next_random() % 200);   /* up to 20 us: vary the timing */
	}
	bool ok = !stale && !lost && !failed;
	verdict(ok ? "PASS" : "DEVIATION", "hart_start_stop.repeated", "SBI v2.0 §9.1, §9.2",
		"expected %u starts over %u harts each to arrive with its own opaque and stop, got %u "
		"stale arrivals, %u lost, %u failed starts%s%s (seed %lu)", rounds, nspares, stale, lost,
		failed, failed ? ", first " : "", failed ? sbi_err_name(first_err) : "", seed);
	if (n) {
		hsm_latency_row("start->arrival", arrive_t, n);
		hsm_latency_row("arrival->STOPPED", stop_t, n);
	}
}

bool hsm_rescue(struct spare *s)
{
	long st = wait_status(s->hartid, SBI_HSM_STOPPED, 10);
	if (st == SBI_HSM_SUSPENDED) {
		sbi_send_ipi_one(s->hartid);
		st = wait_status(s->hartid, SBI_HSM_STOPPED, 100);
	}
	if (st == SBI_HSM_SUSPENDED && sbi.has_rfence) {
		sbi_remote_fence_mask(false, 1, s->hartid);
		st = wait_status(s->hartid, SBI_HSM_STOPPED, 100);
	}
	return st == SBI_HSM_STOPPED;
}

/* Puts a STOPPED spare first, where the checks take it from: whether there is one. */
static bool spare_at_rest(void)
{
	for (unsigned int i = 0; i < nspares; i++) {
		if (hsm_rescue(&spares[i])) {
			struct spare first = spares[0];
			spares[0] = spares[i];
			spares[i] = first;
			return true;
		}
	}
	return false;
}

/*
 * The checks that need a stopped hart, in order, with the names of their verdicts. The
 * torture comes last: a firmware call that never returns leaves the system a CPU short.
 */
static const struct spare_check {
	void (*run)(const struct hsm_run *run);
	const char *names[6];
} spare_checks[] = {
	{ check_firmware_address, { "hart_start.firmware_address", "hart_start.after_failed_start" } },
	{ check_entry_state, { "hart_start.entry_state" } },
	{ check_misaligned_address, { "hart_start.misaligned_address" } },
	{ check_stop_interrupts, { "hart_stop.interrupts_disabled", "hart_stop.interrupts_enabled" } },
	{ check_ipi_to_stopped, { "send_ipi.stopped_hart" } },
	{ check_ipi_and_fences, { "send_ipi.hsm_states", "remote_fence.hsm_states" } },
	{ check_start_pending, { "hart_start.start_pending" } },
	{ check_stop_pending, { "hart_start.stop_pending" } },
	{ check_concurrent_starts, { "hart_start.concurrent" } },
	{ check_repeated, { "hart_start_stop.repeated" } },
	{ check_suspend, { "hart_suspend.wakes_on_ipi", "hart_suspend.retentive_return",
			 "hart_suspend.non_retentive_resume", "hart_suspend.reserved_type",
			 "hart_suspend.platform_type", "hart_suspend.bad_resume_address" } },
	{ check_resume_pending, { "send_ipi.resume_pending" } },
	{ check_torture, { "torture.random_operations" } },
};

static int cmd_hsm(int argc, char **argv)
{
	bool quick = false, json = false, icount = false;
	unsigned long seed = 1, max_hart;
	if (argc < 2 || strcmp(argv[1], "test") != 0) {
		return shell_usage("hsm");
	}
	for (int i = 2; i < argc; i++) {
		if (strcmp(argv[i], "quick") == 0) {
			quick = true;
		} else if (strcmp(argv[i], "icount") == 0) {
			icount = true;
		} else if (strcmp(argv[i], "json") == 0) {
			json = true;
		} else if (strcmp(argv[i], "seed") == 0 && i + 1 < argc && parse_ulong(argv[i + 1], &seed)) {
			i++;
		} else {
			return shell_usage("hsm");
		}
	}
	if (!sbi.has_hsm) {
		console_printf("hsmtest: the firmware has no HSM extension\n");
		return -ENOSYS;
	}
	cpu_hotplug_disable();               /* no CPU comes or goes under the checks */
	hsm_report_reset(icount);
	console_printf("hsmtest: firmware: SBI spec %lu.%lu, implementation %lu version %#lx "
		       "(printed, never used for a verdict)\n", sbi.spec_version >> 24,
		       sbi.spec_version & 0xffffff, sbi.impl_id, sbi.impl_version);
	find_harts(&max_hart);
	console_printf("hsmtest: %u harts online, %u stopped to test with; seed %lu\n",
		       cpumask_weight(&cpu_online_mask), nspares, seed);
	check_status_of_every_hart();
	check_invalid_hartid(max_hart);
	check_already_started();
	const struct hsm_run run = { quick, icount, seed };
	check_ipi_storm(&run);
	bool none = !nspares;
	for (unsigned int i = 0; i < ARRAY_SIZE(spare_checks); i++) {
		const struct spare_check *c = &spare_checks[i];
		if (!none && spare_at_rest()) {
			c->run(&run);
			continue;
		}
		for (unsigned int n = 0; n < ARRAY_SIZE(c->names) && c->names[n]; n++) {
			verdict("SKIP", c->names[n], "SBI v2.0 §9", none ? "expected a stopped hart to test "
				"with, got none (boot with maxcpus= below the hart count)" : "expected a stopped "
				"hart to test with, got every one lost by the checks before");
		}
	}
	hsm_report_summary(json, seed);
	for (unsigned int i = 0; i < nspares; i++) {
		__atomic_store_n(&spares[i].rec->armed, 0, __ATOMIC_RELEASE);
	}
	cpu_hotplug_enable();
	return 0;
}
SHELL_COMMAND("hsm", "hsm test [quick] [seed N] [json] [icount]", cmd_hsm);
