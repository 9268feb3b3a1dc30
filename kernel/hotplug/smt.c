/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * SMT control, Linux's cpu_smt_control brought to RISC-V. With nosmt every secondary
 * thread is booted once and its bring-up then cancelled in BRINGUP_CPU (-ECANCELED,
 * after the CPU reached AP_ONLINE_IDLE, as x86 does it): the full build rolls it back
 * to offline, the minimal one leaves it online but inactive. smt/control switches the
 * secondary threads off and on at run time where hotplug is built in.
 *
 * A core's primary thread is its first thread in cpu-map. The boot CPU is whatever hart
 * the firmware picked: if that is a secondary thread, it stays (it is never brought up).
 */
#include <stdio.h>
#include <string.h>
#include "internal.h"
#include "percpu.h"
#include "sysfs.h"
#include "log.h"
#include "err.h"
#include "param.h"

#define SMT_DIR "/sys/devices/system/cpu/smt"

static int smt_control = CPU_SMT_ON;
static const char *const smt_names[] = {
	[CPU_SMT_ON] = "on",
	[CPU_SMT_OFF] = "off",
	[CPU_SMT_FORCE_OFF] = "forceoff",
	[CPU_SMT_NOT_SUPPORTED] = "notsupported",
};

bool cpu_smt_primary(unsigned int cpu)
{
	return cpus[cpu].thread_id == 0;
}

int cpu_smt_get_control(void)
{
	return smt_control;
}

void cpu_smt_set_control(int control)
{
	smt_control = control;
}

/* "nosmt" (no value) or "nosmt=force". */
/* nosmt (secondary threads booted once, then cancelled) or nosmt=force (for good). */
static int param_nosmt(struct cmdline *cl, struct bootparam *bp, char *err, size_t len)
{
	(void)cl;
	if (!bp->value) {
		smt_control = CPU_SMT_OFF;
	} else if (strcmp(bp->value, "force") == 0) {
		smt_control = CPU_SMT_FORCE_OFF;
	} else {
		snprintf(err, len, "'nosmt': use nosmt or nosmt=force");
		return -EINVAL;
	}
	return 0;
}
BOOT_PARAM("nosmt", param_nosmt);

/* After the CPUs are numbered: without a core of two threads there is nothing to control. */
void cpu_smt_init(void)
{
	unsigned int max_threads = 1;

	for (unsigned int cpu = 0; cpu < nr_cpu_ids; cpu++) {
		if ((unsigned int)cpus[cpu].thread_id + 1 > max_threads) {
			max_threads = (unsigned int)cpus[cpu].thread_id + 1;
		}
	}
	if (max_threads == 1) {
		if (smt_control != CPU_SMT_ON) {
			pr_info("smt: nosmt given, but no core has more than one thread\n");
		}
		smt_control = CPU_SMT_NOT_SUPPORTED;
		return;
	}
	pr_info("smt: up to %u threads per core; control %s%s\n", max_threads,
		smt_names[smt_control],
		cpu_smt_primary(0) ? "" : " (the boot CPU is a secondary thread: it stays)");
}

/*
 * Linux's cpu_bootable(): with SMT off, a secondary thread may only be started if it
 * never was (it is then cancelled in BRINGUP_CPU, see bringup_cpu()).
 */
bool cpu_bootable(unsigned int cpu)
{
	if (smt_control == CPU_SMT_ON || smt_control == CPU_SMT_NOT_SUPPORTED) {
		return true;
	}
	return cpu_smt_primary(cpu) || !cpuhp_state[cpu].booted_once;
}

/*
 * Linux's sched_smt_active(): some core has two threads the scheduler uses. An undead
 * sibling (online, never active) does not count.
 */
static bool smt_active(void)
{
	unsigned int a, b;

	for_each_cpu(a, &cpu_active_mask) {
		for_each_cpu(b, &cpu_active_mask) {
			if (a != b && cpus[a].core_id == cpus[b].core_id) {
				return true;
			}
		}
	}
	return false;
}

static int show_control(void *arg, char *buf, size_t len)
{
	(void)arg;
	return snprintf(buf, len, "%s\n", smt_names[smt_control]);
}

/* Linux's rules for a change of smt/control, before anything is taken down. */
int cpu_smt_check_change(int want)
{
	if (smt_control == CPU_SMT_NOT_SUPPORTED) {
		return -ENODEV;
	}
	if (smt_control == CPU_SMT_FORCE_OFF) {
		return -EPERM;           /* forceoff is for good, as in Linux */
	}
	return 0;
}

static int store_control(void *arg, const char *value)
{
	int want;

	(void)arg;
	if (strcmp(value, "on") == 0) {
		want = CPU_SMT_ON;
	} else if (strcmp(value, "off") == 0) {
		want = CPU_SMT_OFF;
	} else if (strcmp(value, "forceoff") == 0) {
		want = CPU_SMT_FORCE_OFF;
	} else {
		return -EINVAL;
	}
	return cpuhp_smt_store(want);
}

static int show_active(void *arg, char *buf, size_t len)
{
	(void)arg;
	return snprintf(buf, len, "%d\n", smt_active() ? 1 : 0);
}

void cpu_smt_sysfs_init(void)
{
	int err = sysfs_add_control_file(SMT_DIR "/control", show_control, store_control, NULL);
	err |= sysfs_add_file(SMT_DIR "/active", show_active, NULL, NULL);
	if (err) {
		pr_err("sysfs: could not create the smt files\n");
	}
}
