/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The minimal rollback (hotplug=false; variant.h): there is no take-down. A CPU that
 * failed its bring-up after it started running kernel code cannot be stopped, since
 * takedown_cpu() is not built and the DYING steps need it. It stays online but
 * inactive, idle, with its per-CPU threads parked and its stopper running, answering
 * cross-calls and taking part in stop_machine. Its DEAD steps are not run, so nothing
 * it still uses is freed (unless cpuhp.unsafe_rollback=1 asks for the old bug).
 */
#include "internal.h"
#include "variant.h"
#include "cpuhp_callbacks.h"
#include "stop_machine.h"
#include "percpu.h"
#include "smp.h"
#include "log.h"
#include "err.h"

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
	if (cpuhp_unsafe_rollback) {
		/* What Linux did before the fix: the DEAD steps free what the CPU still uses. */
		pr_warn("CPU%u: cpuhp.unsafe_rollback: running its DEAD steps while it runs\n", cpu);
		for (int s = CPUHP_BRINGUP_CPU - 1; s > prev_state; s--) {
			cpuhp_invoke_callback(cpu, s, false, false);
		}
	}
}

/* Reboot and poweroff: stop the others with the stop IPI (interrupts off, halted). */
void cpuhp_shutdown_prepare(int reboot_cpu)
{
	(void)reboot_cpu;
	cpu_hotplug_disable();
	pr_notice("reboot: on CPU%u, stopping the other CPUs (hotplug compiled out)\n", this_cpu_id());
	smp_stop_others();
}
