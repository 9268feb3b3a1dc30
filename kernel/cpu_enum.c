/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * CPU enumeration: the hart OpenSBI booted us on is logical CPU 0; the others follow
 * in device-tree order, up to nr_cpus= and NR_CPUS. Owns cpus[] and the CPU masks.
 * Starting them is secondary_boot.c's job.
 */
#include <string.h>
#include "cpu_boot.h"
#include "percpu.h"
#include "sched.h"
#include "log.h"
#include "err.h"
#include "atomic.h"
#include "cpuhp.h"
#include "boot_handshake.h"
#include "param.h"

#define IDLE_STACK_SIZE 8192

struct cpu cpus[NR_CPUS];
struct cpumask cpu_possible_mask, cpu_present_mask, cpu_online_mask, cpu_active_mask;
unsigned int nr_cpu_ids = 1;

static uint8_t idle_stacks[NR_CPUS][IDLE_STACK_SIZE] __attribute__((aligned(16)));
/* Harts in the device tree that the kernel does not use (beyond nr_cpus or NR_CPUS). */
unsigned long boot_unused_harts[DT_MAX_HARTS];
unsigned int boot_unused_count;

static void cpu_init_struct(unsigned int cpu, unsigned long hartid, const struct dt_hart *h)
{
	struct cpu *c = &cpus[cpu];

	c->id = cpu;
	c->hartid = hartid;
	spin_lock_init(&c->call_lock);
	list_init(&c->call_queue);
	c->core_id = h && h->core_id >= 0 ? h->core_id : -1;
	c->thread_id = h && h->thread_id >= 0 ? h->thread_id : 0;
	c->isa = h ? h->isa : NULL;
	/* The boot CPU too: once taken down, it comes back through secondary_entry. */
	c->boot_sp = idle_stacks[cpu] + IDLE_STACK_SIZE;
}

void smp_setup_boot_cpu(unsigned long hartid)
{
	cpu_init_struct(0, hartid, NULL);
	sched_init_cpu(0);
	cpumask_set(&cpu_possible_mask, 0);
	cpumask_set(&cpu_present_mask, 0);
	cpumask_set(&cpu_online_mask, 0);
	cpumask_set(&cpu_active_mask, 0);
}

void smp_setup_cpus(const struct dt_platform *p, unsigned long boot_hart, unsigned int limit)
{
	unsigned int n = 1;
	bool boot_listed = false;

	if (limit > NR_CPUS) {
		limit = NR_CPUS;
	}
	for (unsigned int i = 0; i < p->hart_count; i++) {
		const struct dt_hart *h = &p->harts[i];
		if (!h->has_reg) {
			pr_warn("cpu node %u has no 'reg' (hart id): ignored\n", i);
			continue;
		}
		if (h->hartid == boot_hart) {
			boot_listed = true;
			cpu_init_struct(0, boot_hart, h);
			continue;
		}
		if (!h->okay) {
			continue;     /* status = "disabled": not a possible CPU */
		}
		if (h->isa && strncmp(h->isa, "rv64", 4) != 0) {
			pr_warn("hart %llu: ISA '%s' is not rv64: ignored\n",
				(unsigned long long)h->hartid, h->isa);
			continue;
		}
		if (n >= limit) {
			boot_unused_harts[boot_unused_count++] = (unsigned long)h->hartid;
			continue;
		}
		cpu_init_struct(n, (unsigned long)h->hartid, h);
		sched_init_cpu(n);
		cpumask_set(&cpu_possible_mask, n);
		cpumask_set(&cpu_present_mask, n);
		n++;
	}
	if (!boot_listed) {
		pr_warn("boot hart %lu is not in the device tree; using it as CPU0 anyway\n", boot_hart);
	}
	if (boot_unused_count) {
		pr_warn("%u hart(s) beyond the limit of %u CPUs are ignored (first: hart %lu)\n",
			boot_unused_count, limit, boot_unused_harts[0]);
	}
	if (p->harts_dropped) {
		pr_warn("%u cpu node(s) beyond %u in the device tree were not read\n",
			p->harts_dropped, DT_MAX_HARTS);
	}
	/* Without a cpu-map every CPU is a core of its own. */
	for (unsigned int cpu = 0; cpu < n; cpu++) {
		if (cpus[cpu].core_id < 0) {
			cpus[cpu].core_id = (int)(p->core_count + cpu);
			cpus[cpu].thread_id = 0;
		}
	}
	nr_cpu_ids = n;
}

/* ---- boot parameters: how many CPUs to number, and how many to bring up ---- */

unsigned int boot_max_cpus = NR_CPUS;
unsigned int boot_nr_cpus = NR_CPUS;

static int param_maxcpus(struct cmdline *cl, struct bootparam *bp, char *err, size_t len)
{
	unsigned long v;
	int ret = cmdline_get_uint(cl, bp->name, 0, 1u << 20, &v, err, len);
	if (!ret) {
		/* Linux: maxcpus=0 means no secondaries at all, just as 1 does. */
		boot_max_cpus = v ? (unsigned int)MIN(v, (unsigned long)NR_CPUS) : 1;
	}
	return ret;
}
BOOT_PARAM("maxcpus", param_maxcpus);

static int param_nr_cpus(struct cmdline *cl, struct bootparam *bp, char *err, size_t len)
{
	unsigned long v;
	int ret = cmdline_get_uint(cl, bp->name, 1, 1u << 20, &v, err, len);
	if (!ret) {
		boot_nr_cpus = (unsigned int)MIN(v, (unsigned long)NR_CPUS);
	}
	return ret;
}
BOOT_PARAM("nr_cpus", param_nr_cpus);
