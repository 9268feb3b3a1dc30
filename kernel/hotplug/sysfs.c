/* SPDX-License-Identifier: BSD-2-Clause */
/* The hotplug files under /sys/devices/system/cpu, with Linux's names and errors. */
#include <stdio.h>
#include <string.h>
#include "internal.h"
#include "sysfs.h"
#include "percpu.h"
#include "cmdline.h"
#include "log.h"
#include "err.h"

#define CPU_DIR "/sys/devices/system/cpu"

static unsigned int cpu_of(void *arg)
{
	return (unsigned int)(uintptr_t)arg;
}

static int show_states(void *arg, char *buf, size_t len)
{
	size_t n = 0;
	(void)arg;
	/*
	 * User-space states come and go at run time (user_states.c), their names with them.
	 * Not the maps lock: a server may read this while a hotplug operation calls it.
	 */
	unsigned long flags = spin_lock_irqsave(&cpuhp_names_lock);
	for (int s = 0; s < CPUHP_STATE_COUNT; s++) {
		if (cpuhp_steps[s].name && n < len) {
			n += (size_t)snprintf(buf + n, len - n, "%3d: %s\n", s, cpuhp_steps[s].name);
		}
	}
	spin_unlock_irqrestore(&cpuhp_names_lock, flags);
	return (int)MIN(n, len - 1);
}

static int show_online(void *arg, char *buf, size_t len)
{
	return snprintf(buf, len, "%d\n", cpu_online(cpu_of(arg)) ? 1 : 0);
}

/* Accepts exactly "0" or "1" (Linux's kstrtobool also takes y/n; we keep it strict). */
static int store_online(void *arg, const char *value)
{
	if (strcmp(value, "0") != 0 && strcmp(value, "1") != 0) {
		return -EINVAL;
	}
	return cpuhp_online_store(cpu_of(arg), value[0] == '1');
}

static int show_state(void *arg, char *buf, size_t len)
{
	return snprintf(buf, len, "%d\n", cpuhp_state[cpu_of(arg)].state);
}

static int show_target(void *arg, char *buf, size_t len)
{
	return snprintf(buf, len, "%d\n", cpuhp_state[cpu_of(arg)].target);
}

static bool parse_state(const char *value, int *out)
{
	unsigned long v;
	if (strcmp(value, "-1") == 0) {
		*out = CPUHP_INVALID;
		return true;
	}
	if (!parse_ulong(value, &v) || v > CPUHP_ONLINE) {
		return false;
	}
	*out = (int)v;
	return true;
}

static int store_target(void *arg, const char *value)
{
	unsigned int cpu = cpu_of(arg);
	int target;

	if (!parse_state(value, &target) || target < 0) {
		return -EINVAL;
	}
	return cpuhp_target_store(cpu, target);
}

static int show_fail(void *arg, char *buf, size_t len)
{
	return snprintf(buf, len, "%d\n", cpuhp_state[cpu_of(arg)].fail);
}

static int store_fail(void *arg, const char *value)
{
	int state;
	if (!parse_state(value, &state)) {
		return -EINVAL;
	}
	return cpuhp_fail_store(cpu_of(arg), state);
}

static int show_unusable(void *arg, char *buf, size_t len)
{
	const char *why = cpuhp_state[cpu_of(arg)].unusable;
	return snprintf(buf, len, "%s\n", why ? why : "0");
}

static int show_hsm(void *arg, char *buf, size_t len)
{
	long fw;
	int s = arch_hart_status(cpus[cpu_of(arg)].hartid, &fw);
	return snprintf(buf, len, "%s\n", s < 0 ? arch_fw_err_name(fw) : arch_cpu_status_name(s));
}

void cpuhp_sysfs_init(void)
{
	int err = sysfs_add_file(CPU_DIR "/hotplug/states", show_states, NULL, NULL);

	for (unsigned int cpu = 0; cpu < nr_cpu_ids; cpu++) {
		void *arg = (void *)(uintptr_t)cpu;
		struct sysfs_node *d = sysfs_cpu_dir(cpu);
		err |= sysfs_add_control_file_at(d, "online", show_online, store_online, arg);
		struct sysfs_node *hp = sysfs_mkdir_at(d, "hotplug");       /* after: ls order */
		err |= sysfs_add_file_at(hp, "state", show_state, NULL, arg);
		err |= sysfs_add_control_file_at(hp, "target", show_target, store_target, arg);
		err |= sysfs_add_control_file_at(hp, "fail", show_fail, store_fail, arg);
		err |= sysfs_add_file_at(hp, "unusable", show_unusable, NULL, arg);
		err |= sysfs_add_file_at(d, "hsm_status", show_hsm, NULL, arg);
	}
	if (err) {
		pr_err("sysfs: could not create every hotplug file\n");
	}
	cpu_smt_sysfs_init();
}
