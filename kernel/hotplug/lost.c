/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A CPU lost in the firmware: it made a firmware call that never came back (hsmtest's
 * torture finds OpenSBI 1.1 doing that to a remote fence that races a hart_stop). It
 * runs nothing more and answers no cross-call, so whatever waits for every online CPU
 * (stop_machine, hence every take-down and nosmt's rollback; the reboot's move to a
 * CPU of its choice) would wait for it for ever. Nothing can bring it back: it stays
 * online, made inactive (as a CPU the minimal rollback leaves), hotplug is disabled
 * for good (-EBUSY, as when disabled by hand), and reboot and poweroff go on without
 * it (cpuhp_shutdown_prepare).
 */
#include "internal.h"
#include "percpu.h"
#include "log.h"

struct cpumask cpu_lost_mask;

void cpu_mark_lost(unsigned int cpu, const char *why)
{
	cpu_maps_lock();
	if (cpu < NR_CPUS && !cpumask_test(&cpu_lost_mask, cpu)) {
		cpumask_set(&cpu_lost_mask, cpu);
		cpu_hotplug_disabled++;      /* never given back */
		/*
		 * No task is placed there any more. Those queued there, and the timed sleeps
		 * it was to end, are lost with it: its queue lock may be what it held when
		 * its firmware call never came back.
		 */
		if (cpumask_weight(&cpu_active_mask) > 1) {
			cpumask_unset(&cpu_active_mask, cpu);
		}
		pr_err("CPU%u: lost in the firmware (%s): inactive, hotplug disabled, reboot goes on "
		       "without it\n", cpu, why);
	}
	cpu_maps_unlock();
}

int cpu_reboot_target(int wanted)
{
	if (wanted >= 0 && cpu_online((unsigned int)wanted) && !cpu_lost((unsigned int)wanted)) {
		return wanted;
	}
	for (unsigned int cpu = 0; cpu < nr_cpu_ids; cpu++) {
		if (cpu_online(cpu) && !cpu_lost(cpu)) {
			return (int)cpu;
		}
	}
	return (int)this_cpu_id();      /* we run, so we are neither offline nor lost */
}
