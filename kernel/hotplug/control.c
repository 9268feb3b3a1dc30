/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The run-time controls of CPU hotplug, common to both builds: cpu_down(), the sysfs
 * cpuN/online and cpuN/hotplug/target writes, and smt/control. A build whose variant
 * cannot take a CPU down refuses all of them here, in one place (-EPERM). cpu_up()
 * lives with the bring-up (up.c).
 */
#include "internal.h"
#include "variant.h"
#include "percpu.h"
#include "err.h"

/* The one place the capability is asked: -EPERM where nothing can take a CPU down. */
static int control_allowed(void)
{
	return CPUHP_CAN_TAKE_DOWN ? 0 : -EPERM;
}

int cpu_down(unsigned int cpu, int target)
{
	int err = control_allowed();
	if (err) {
		return err;
	}
	err = cpuhp_check_down_target(cpu, target);
	if (err) {
		return err;
	}
	cpu_maps_lock();
	err = cpu_hotplug_disabled ? -EBUSY : cpuhp_take_down(cpu, target);
	cpu_maps_unlock();
	return err;
}

int cpuhp_online_store(unsigned int cpu, bool online)
{
	int err = control_allowed();
	if (err) {
		return err;
	}
	return online ? cpu_up(cpu, CPUHP_ONLINE) : cpu_down(cpu, CPUHP_OFFLINE);
}

int cpuhp_target_store(unsigned int cpu, int target)
{
	int err = control_allowed();
	if (err) {
		return err;
	}
	return target >= cpuhp_state[cpu].state ? cpu_up(cpu, target) : cpu_down(cpu, target);
}

/* smt/control off|forceoff: every online secondary thread goes down (Linux's order). */
static int smt_disable(int control)
{
	unsigned int cpu;
	int err = 0;

	cpu_maps_lock();
	if (cpu_hotplug_disabled) {
		err = -EBUSY;
	}
	for (cpu = 0; cpu < nr_cpu_ids && !err; cpu++) {
		if (cpu_online(cpu) && !cpu_smt_primary(cpu)) {
			err = cpuhp_take_down(cpu, CPUHP_OFFLINE);
		}
	}
	if (!err) {
		cpu_smt_set_control(control);
	}
	cpu_maps_unlock();
	return err;
}

/* smt/control on: the secondary threads of every core whose primary is online come up. */
static int smt_enable(void)
{
	unsigned int cpu, p;
	int err = 0;

	cpu_maps_lock();
	if (cpu_hotplug_disabled) {
		cpu_maps_unlock();
		return -EBUSY;
	}
	cpu_smt_set_control(CPU_SMT_ON);
	for (cpu = 0; cpu < nr_cpu_ids && !err; cpu++) {
		if (cpu_online(cpu) || cpu_smt_primary(cpu) || !cpumask_test(&cpu_present_mask, cpu)) {
			continue;
		}
		bool core_online = false;
		for_each_cpu(p, &cpu_online_mask) {
			core_online |= cpus[p].core_id == cpus[cpu].core_id && cpu_smt_primary(p);
		}
		if (core_online) {
			err = cpu_up_locked(cpu, CPUHP_ONLINE);
		}
	}
	cpu_maps_unlock();
	return err;
}

int cpuhp_smt_store(int control)
{
	int err = control_allowed();
	if (err) {
		return err;
	}
	err = cpu_smt_check_change(control);
	if (err || control == cpu_smt_get_control()) {
		return err;
	}
	return control == CPU_SMT_ON ? smt_enable() : smt_disable(control);
}
