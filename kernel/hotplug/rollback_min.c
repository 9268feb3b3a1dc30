/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * hotplug=false: there is no take-down. A CPU that failed its bring-up after it
 * started running kernel code cannot be stopped: takedown_cpu() and the subsystems'
 * DYING and DEAD steps do not exist here. It stays online but inactive, idle, with its
 * per-CPU threads parked and its stopper running, answering cross-calls and taking
 * part in stop_machine. Nothing it still uses is freed.
 */
#include "internal.h"
#include "cpuhp_callbacks.h"
#include "stop_machine.h"
#include "percpu.h"
#include "smp.h"
#include "log.h"
#include "err.h"

const bool cpuhp_online_writable = false;

/* cpuhp.unsafe_rollback=1: reproduce the pre-2019 Linux bug, for the use-after-free check. */
static bool unsafe_rollback;

int cpuhp_set_unsafe_rollback(void)
{
	unsafe_rollback = true;
	return 0;
}

void cpuhp_rollback_failed_up(unsigned int cpu, int prev_state, int err)
{
	struct cpuhp_cpu_state *st = &cpuhp_state[cpu];
	int failed_at = st->failed_at;

	/* Before the CPU ran anything, the usual rollback of the PREPARE states is safe. */
	if (st->state <= CPUHP_BRINGUP_CPU) {
		st->target = prev_state;
		st->bringup = false;
		cpuhp_run_down_nofail(cpu, prev_state);
		return;
	}
	/*
	 * Past BRINGUP_CPU the CPU advanced its own state; cpuhp/N already undid the ONLINE
	 * states it ran, down to AP_ONLINE_IDLE. The rest would need the take-down.
	 */
	if (st->state > CPUHP_AP_ONLINE_IDLE) {
		cpuhp_kick_ap(cpu, CPUHP_AP_ONLINE_IDLE);
	}
	if (cpumask_test(&cpu_active_mask, cpu)) {
		cpumask_unset(&cpu_active_mask, cpu);
		cpuhp_trace_mask(cpu, "active", false);
	}
	kthread_park(st->thread);
	st->target = st->state;
	pr_err("CPU%u: bring-up failed at %s (%s): left online, inactive (hotplug disabled)\n", cpu,
	       cpuhp_state_name(failed_at), err_name(err));
	if (unsafe_rollback) {
		/* What Linux did before the fix: the DEAD steps free what the CPU still uses. */
		pr_warn("CPU%u: cpuhp.unsafe_rollback: running its DEAD steps while it runs\n", cpu);
		for (int s = CPUHP_BRINGUP_CPU - 1; s > prev_state; s--) {
			cpuhp_invoke_callback(cpu, s, false, false);
		}
	}
}

/* Never reached: nothing here takes a CPU below TEARDOWN_CPU. */
int cpuhp_teardown_cpu(unsigned int cpu)
{
	pr_err("CPU%u: take-down requested, but hotplug is compiled out\n", cpu);
	return -EOPNOTSUPP;
}

/* An online CPU never goes offline here, so its idle task never gets to die. */
void cpuhp_idle_dead(void)
{
	panic("CPU%u: offline without hotplug support", this_cpu_id());
}

int cpu_down(unsigned int cpu, int target)
{
	(void)cpu;
	(void)target;
	return -EPERM;
}

int cpuhp_online_store(unsigned int cpu, bool online)
{
	(void)cpu;
	(void)online;
	return -EPERM;
}

/* smt/control is read-only here; these are never reached. */
int cpuhp_smt_disable(int control)
{
	(void)control;
	return -EPERM;
}

int cpuhp_smt_enable(void)
{
	return -EPERM;
}

/* Reboot and poweroff: stop the others with the stop IPI (interrupts off, halted). */
void cpuhp_shutdown_prepare(int reboot_cpu)
{
	(void)reboot_cpu;
	cpu_hotplug_disable();
	pr_notice("reboot: on CPU%u, stopping the other CPUs (hotplug compiled out)\n", this_cpu_id());
	smp_stop_others();
}
