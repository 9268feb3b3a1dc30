/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * hsmtest's IPI storm: every online hart sends SBI IPIs to every other one at the same
 * time, each through its own send_ipi call, and each call must return within a bound.
 *
 * Why a bound on the call: the specification sets none, but a kernel sends IPIs with
 * interrupts off and cannot take back a call that waits inside the firmware. OpenSBI
 * from v1.5 takes one ticket lock of the domain in every send_ipi; on vCPUs that are
 * preempted (a host with fewer cores than harts, QEMU's -icount round-robin) a waiter
 * spins for a whole time slice behind a preempted holder, and harts sending at once
 * form a convoy: calls that take a tick instead of a microsecond, and at 16 harts under
 * -icount a storm that never ends. This check shows that by behaviour, whatever the
 * version string says. The bound is 1 ms under -icount (a call is a few thousand guest
 * instructions: 1 ms is a million) and 50 ms otherwise (a vCPU thread the host
 * preempts mid-call is slow without any fault of the firmware's).
 */
#include "hsmtest_internal.h"
#include "sbi.h"
#include "arch.h"
#include "percpu.h"
#include "sched.h"
#include "atomic.h"
#include "log.h"
#include <stdio.h>

struct storm {
	unsigned int rounds, workers;
	uint64_t bound, deadline;
	unsigned int ready, cut_short;
	struct completion done;
	unsigned long calls, slow, errors;
	uint64_t longest;
	long first_error;
};

static void storm_worker(void *arg)
{
	struct storm *st = arg;
	unsigned int self = this_cpu_id(), cpu;
	unsigned long calls = 0, slow = 0, errors = 0;
	uint64_t longest = 0;
	long first_error = SBI_SUCCESS;

	/* All at the line, then go: the calls must meet in the firmware. */
	atomic_add(&st->ready, 1);
	while (READ_ONCE(st->ready) < st->workers) {
		arch_wait_brief(1);
	}
	for (unsigned int r = 0; r < st->rounds; r++) {
		if (arch_time_now() > st->deadline) {
			atomic_add(&st->cut_short, 1);    /* a convoy: say so, do not wait it out */
			break;
		}
		for_each_cpu(cpu, &cpu_online_mask) {
			if (cpu == self) {
				continue;
			}
			/* Interrupts off as a kernel sends: only the firmware's time is measured. */
			unsigned long flags = arch_irq_save();
			uint64_t t0 = arch_time_now();
			long e = sbi_send_ipi_one(cpus[cpu].hartid);
			uint64_t dt = arch_time_now() - t0;
			arch_irq_restore(flags);
			calls++;
			slow += dt > st->bound;
			longest = dt > longest ? dt : longest;
			if (e != SBI_SUCCESS) {
				errors++;
				first_error = first_error == SBI_SUCCESS ? e : first_error;
			}
		}
		/*
		 * A pause, as a kernel between its sends: halted harts and their timers are
		 * what make vCPUs take turns mid-call (without them each runs its whole
		 * share in one time slice and no two calls ever meet).
		 */
		arch_wait_brief(1);
	}
	atomic_add(&st->calls, calls);
	atomic_add(&st->slow, slow);
	atomic_add(&st->errors, errors);
	if (first_error != SBI_SUCCESS) {
		st->first_error = first_error;
	}
	uint64_t seen = READ_ONCE(st->longest);
	while (longest > seen && !atomic_cmpxchg(&st->longest, &seen, longest)) {
	}
	complete(&st->done);
}

void check_ipi_storm(const struct hsm_run *run)
{
	static struct storm st;
	unsigned int cpu, started = 0;
	unsigned int online = cpumask_weight(&cpu_online_mask);

	if (online < 3) {
		verdict("SKIP", "send_ipi.storm", "SBI v2.0 §7.1", "expected three started harts or "
			"more (two senders to each target), got %u", online);
		return;
	}
	st = (struct storm){ .rounds = 100, .workers = online,    /* quick too: shorter meets less */
			     .bound = log_timebase() / (run->icount ? 1000 : 20),
			     .first_error = SBI_SUCCESS };
	completion_init(&st.done);
	st.deadline = arch_time_now() + 2 * log_timebase();
	for_each_cpu(cpu, &cpu_online_mask) {
		char name[TASK_NAME_LEN];
		snprintf(name, sizeof(name), "hsmstorm/%u", cpu);
		struct task *t = kthread_create(storm_worker, &st, name);
		if (!t) {
			break;
		}
		kthread_bind(t, cpu);
		wake_up_task(t);
		started++;
	}
	if (started < online) {
		/* The ones started wait for the rest at the line: let them go, then say so. */
		st.workers = started;
	}
	unsigned int finished = 0;
	while (finished < started && !wait_for_completion_timeout(&st.done, 10000)) {
		finished++;
	}
	uint64_t us = READ_ONCE(st.longest) * 1000000 / log_timebase();
	bool bad = st.slow || st.errors || st.cut_short || finished < started;
	verdict(bad ? "DEVIATION" : "PASS", "send_ipi.storm", "SBI v2.0 §7.1",
		"expected each of %u send_ipi calls from %u harts at once to succeed within %lu us, "
		"got %lu slower (longest %lu us), %lu failed%s%s; %u harts cut short at 2 s, %u still "
		"in the firmware after 10 s more", st.rounds * started * (started - 1), started,
		(unsigned long)(st.bound * 1000000 / log_timebase()), READ_ONCE(st.slow),
		(unsigned long)us, READ_ONCE(st.errors), st.errors ? ", first: " : "",
		st.errors ? sbi_err_name(st.first_error) : "", READ_ONCE(st.cut_short),
		started - finished);
}
