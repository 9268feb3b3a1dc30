/* SPDX-License-Identifier: BSD-2-Clause */
/* /sys/devices/system/cpu: the CPU masks and per-CPU identity and topology. */
#include <stdio.h>
#include "sysfs.h"
#include "percpu.h"
#include "log.h"

#define CPU_DIR "/sys/devices/system/cpu"

void cpu_sysfs_init(void);

static int show_mask(const struct cpumask *m, char *buf, size_t len)
{
	int n = cpulist_format(buf, len - 1, m);
	if (n < 0) {
		return n;
	}
	buf[n++] = '\n';
	buf[n] = 0;
	return n;
}

static int show_global(void *arg, char *buf, size_t len)
{
	return show_mask(arg, buf, len);
}

static int show_offline(void *arg, char *buf, size_t len)
{
	struct cpumask m;
	(void)arg;
	cpumask_andnot(&m, &cpu_possible_mask, &cpu_online_mask);
	return show_mask(&m, buf, len);
}

static int show_hart_id(void *arg, char *buf, size_t len)
{
	return snprintf(buf, len, "%lu\n", ((struct cpu *)arg)->hartid);
}

static int show_core_id(void *arg, char *buf, size_t len)
{
	return snprintf(buf, len, "%d\n", ((struct cpu *)arg)->core_id);
}

static int show_siblings(void *arg, char *buf, size_t len)
{
	struct cpu *c = arg;
	struct cpumask m;

	cpumask_clear(&m);
	for (unsigned int cpu = 0; cpu < nr_cpu_ids; cpu++) {
		if (cpus[cpu].core_id == c->core_id) {
			cpumask_set(&m, cpu);
		}
	}
	return show_mask(&m, buf, len);
}

static int show_isa(void *arg, char *buf, size_t len)
{
	const char *isa = ((struct cpu *)arg)->isa;
	return snprintf(buf, len, "%s\n", isa ? isa : "unknown");
}

struct sysfs_node *sysfs_cpu_dir(unsigned int cpu)
{
	static struct sysfs_node *cpu_dir;    /* directories are never removed */
	char name[16];

	if (!cpu_dir) {
		cpu_dir = sysfs_mkdir(CPU_DIR);
	}
	snprintf(name, sizeof(name), "cpu%u", cpu);
	return sysfs_mkdir_at(cpu_dir, name);
}

void cpu_sysfs_init(void)
{
	static const struct {
		const char *name;
		const struct cpumask *mask;
	} globals[] = {
		{ "possible", &cpu_possible_mask },
		{ "present", &cpu_present_mask },
		{ "online", &cpu_online_mask },
		{ "active", &cpu_active_mask },
	};
	char path[96];
	int err = 0;

	for (unsigned int i = 0; i < ARRAY_SIZE(globals); i++) {
		snprintf(path, sizeof(path), CPU_DIR "/%s", globals[i].name);
		err |= sysfs_add_file(path, show_global, NULL, (void *)globals[i].mask);
	}
	err |= sysfs_add_file(CPU_DIR "/offline", show_offline, NULL, NULL);
	for (unsigned int cpu = 0; cpu < nr_cpu_ids; cpu++) {
		struct cpu *c = &cpus[cpu];
		struct sysfs_node *d = sysfs_cpu_dir(cpu);
		err |= sysfs_add_file_at(d, "hart_id", show_hart_id, NULL, c);
		err |= sysfs_add_file_at(d, "isa", show_isa, NULL, c);
		struct sysfs_node *topo = sysfs_mkdir_at(d, "topology");    /* after: ls order */
		err |= sysfs_add_file_at(topo, "core_id", show_core_id, NULL, c);
		err |= sysfs_add_file_at(topo, "thread_siblings_list", show_siblings, NULL, c);
	}
	if (err) {
		pr_err("sysfs: could not create every file under " CPU_DIR "\n");
	}
}
