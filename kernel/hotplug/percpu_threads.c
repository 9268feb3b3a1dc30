/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Per-CPU threads (Linux's smpboot): each is created once, bound to its CPU and parked
 * while the CPU is down; bound threads never run anywhere else. cpuhp/N and the
 * stopper are unparked by the control CPU at AP_ONLINE_IDLE; the others follow the
 * smpboot/threads:online state.
 */
#include <stdio.h>
#include "internal.h"
#include "cpuhp_callbacks.h"
#include "stop_machine.h"
#include "workqueue.h"
#include "percpu.h"
#include "err.h"
#include "log.h"
#include "arch.h"

void cpuhp_thread_fn(void *arg);

static struct task *create_parked(void (*fn)(void *), unsigned int cpu, const char *fmt)
{
	char name[TASK_NAME_LEN];

	snprintf(name, sizeof(name), fmt, cpu);
	struct task *t = kthread_create(fn, (void *)(uintptr_t)cpu, name);
	if (t) {
		kthread_bind(t, cpu);
		kthread_make_parked(t);
	}
	return t;
}

int smpboot_create_threads(unsigned int cpu)
{
	struct cpuhp_cpu_state *st = &cpuhp_state[cpu];

	if (!st->thread && !(st->thread = create_parked(cpuhp_thread_fn, cpu, "cpuhp/%u"))) {
		return -ENOMEM;
	}
	/* Like Linux's SCHED_FIFO cpuhp threads: a busy CPU must not delay its hotplug. */
	st->thread->urgent = true;
	if (!stop_machine_thread(cpu) &&
	    !stop_machine_set_thread(cpu, create_parked(stopper_thread_fn, cpu, "migration/%u"))) {
		return -ENOMEM;
	}
	if (!workqueue_thread(cpu) &&
	    !workqueue_set_thread(cpu, create_parked(worker_thread_fn, cpu, "kworker/%u"))) {
		return -ENOMEM;
	}
	return 0;
}

int smpboot_unpark_threads(unsigned int cpu)
{
	kthread_unpark(workqueue_thread(cpu));
	return 0;
}

int smpboot_park_threads(unsigned int cpu)
{
	kthread_park(workqueue_thread(cpu));
	return 0;
}

/* One inconsistency of @cpu, printed; counts it. */
static unsigned int report(unsigned int cpu, const char *what)
{
	console_printf("check: CPU%u (state %d): %s\n", cpu, cpuhp_state[cpu].state, what);
	return 1;
}

/* A thread never created (its CPU never came up) counts as parked. */
static bool parked(struct task *t)
{
	return !t || kthread_is_parked(t);
}

/*
 * What every quiet moment must satisfy: the masks nest, and each CPU's hotplug state,
 * its masks, its per-CPU threads and its hart's HSM status tell the same story. An
 * undead CPU (hotplug=false, online at AP_ONLINE_IDLE, never active) has its hotplug
 * and worker threads parked and its stopper running.
 */
unsigned int cpuhp_check_consistency(void)
{
	unsigned int bad = 0;

	for (unsigned int cpu = 0; cpu < nr_cpu_ids; cpu++) {
		struct cpuhp_cpu_state *st = &cpuhp_state[cpu];
		bool online = cpu_online(cpu), active = cpumask_test(&cpu_active_mask, cpu);
		long fw;

		if (!cpumask_test(&cpu_possible_mask, cpu) || st->unusable) {
			continue;
		}
		if (cpu_lost(cpu)) {
			/* Frozen wherever its firmware call caught it: the rest says nothing more. */
			bad += report(cpu, "lost in the firmware");
			continue;
		}
		if (online && !cpumask_test(&cpu_present_mask, cpu)) {
			bad += report(cpu, "online but not present");
		}
		if (active && !online) {
			bad += report(cpu, "active but not online");
		}
		if (online != (st->state > CPUHP_BRINGUP_CPU)) {
			bad += report(cpu, online ? "online below BRINGUP_CPU" : "offline above BRINGUP_CPU");
		}
		if (active != (st->state >= CPUHP_AP_ACTIVE)) {
			bad += report(cpu, active ? "active below sched:active" : "inactive at sched:active");
		}
		if (st->state != st->target) {
			bad += report(cpu, "not at its target");
		}
		if (parked(workqueue_thread(cpu)) != (st->state < CPUHP_AP_SMPBOOT_THREADS)) {
			bad += report(cpu, "kworker parked where it should run, or the reverse");
		}
		if (parked(stop_machine_thread(cpu)) == online) {
			bad += report(cpu, online ? "stopper parked on an online CPU" : "stopper unparked offline");
		}
		if (st->state < CPUHP_AP_ONLINE_IDLE ? !parked(st->thread) :
		    st->state > CPUHP_AP_ONLINE_IDLE && parked(st->thread)) {
			bad += report(cpu, "cpuhp thread parked where it should run, or the reverse");
		}
		int hs = arch_hart_status(cpus[cpu].hartid, &fw);
		bool running = hs == ARCH_CPU_STARTED || hs == ARCH_CPU_SUSPENDED;
		if (online != running) {
			bad += report(cpu, online ? "online, but its hart is not running"
						  : "offline, but its hart is not STOPPED");
		}
	}
	console_printf("check: %u CPUs, %u inconsistencies\n", nr_cpu_ids, bad);
	return bad;
}
