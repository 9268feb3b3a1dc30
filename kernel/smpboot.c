/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Boot-time CPU enumeration and bring-up. The hart OpenSBI booted us on is logical
 * CPU 0; the others follow in device-tree order. Every secondary is started through
 * the firmware at once and then waited for, so a 64-hart boot costs little more than
 * a 4-hart one.
 */
#include <string.h>
#include "smpboot.h"
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
static unsigned long unused_harts[DT_MAX_HARTS];
static unsigned int unused_count;

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
			unused_harts[unused_count++] = (unsigned long)h->hartid;
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
	if (unused_count) {
		pr_warn("%u hart(s) beyond the limit of %u CPUs are ignored (first: hart %lu)\n",
			unused_count, limit, unused_harts[0]);
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

/* First C code of a secondary CPU: on its idle stack, interrupts off. */
void secondary_main(struct cpu *c)
{
	arch_cpu_init();
	if (!cpu_boot_claim(c)) {
		/* Nobody waits for us (gave up, or a stale start): touch nothing, stop. */
		arch_cpu_quiesce();
	}
	/* Started early at boot: wait, halted, until our bring-up actually begins. */
	if (!cpu_boot_wait_release(c)) {
		arch_cpu_quiesce();
	}
	cpuhp_ap_starting(c->id);
	c->boot_time = arch_time_now();
	cpumask_set(&cpu_online_mask, c->id);
	cpuhp_trace_mask(c->id, "online", true);
	cpu_boot_arrived(c);
	pr_info("CPU%u: hart %lu online\n", c->id, c->hartid);
	arch_irq_enable();
	cpuhp_ap_online_idle(c->id);
	cpu_idle_loop();
}

/*
 * OpenSBI 1.1 spins every never-started hart on a host core; on a small host that
 * slows everything else. So at boot every hart is started at once: the ones to bring
 * up into the kernel, where they halt until their bring-up says go (then each costs
 * only the state machine), the others into a stub that stops them again.
 */
static void kick_all(unsigned int max_cpus, unsigned long *quiet, unsigned int *nquiet)
{
	long fw;

	*nquiet = 0;
	for (unsigned int cpu = 1; cpu < nr_cpu_ids; cpu++) {
		if (cpu >= max_cpus) {
			quiet[(*nquiet)++] = cpus[cpu].hartid;
			continue;
		}
		/* A failure here is reported by bringup_cpu(), which then starts it itself. */
		cpu_boot_prekick(cpu, &fw);
	}
	for (unsigned int i = 0; i < unused_count; i++) {
		quiet[(*nquiet)++] = unused_harts[i];
	}
	for (unsigned int i = 0; i < *nquiet; i++) {
		int err = arch_hart_quiesce_start(quiet[i], &fw);
		if (err) {
			pr_warn("hart %lu: cannot be started by the firmware: %s (%s)\n", quiet[i],
				arch_fw_err_name(fw), err_name(err));
			quiet[i] = ~0ul;
		}
	}
}

static void wait_quiet(unsigned long *quiet, unsigned int n)
{
	/* Generous: with dozens of vCPUs on a small host, each needs its turn. */
	uint64_t deadline = arch_time_now() + 10 * log_timebase();
	long fw;

	for (unsigned int i = 0; i < n; i++) {
		while (quiet[i] != ~0ul && arch_hart_status(quiet[i], &fw) != ARCH_CPU_STOPPED) {
			if (arch_time_now() > deadline) {
				pr_warn("hart %lu: did not stop after a start/stop cycle\n", quiet[i]);
				break;
			}
			arch_wait_brief(log_timebase() / 100000 + 1);
		}
	}
}

void smp_boot_secondaries(unsigned int max_cpus)
{
	static unsigned long quiet[DT_MAX_HARTS];
	unsigned int n;

	kick_all(max_cpus, quiet, &n);
	cpuhp_boot_secondaries(max_cpus);
	/*
	 * A CPU whose bring-up failed before BRINGUP_CPU never ran past its wait: its hart
	 * is stopped like an unused one, so an offline CPU's hart is always STOPPED.
	 */
	unsigned int first = n;
	for (unsigned int cpu = 1; cpu < nr_cpu_ids; cpu++) {
		if (cpu_boot_quiesce(cpu)) {
			quiet[n++] = cpus[cpu].hartid;
		}
	}
	wait_quiet(quiet, n);
	for (unsigned int i = first; i < n; i++) {
		for (unsigned int cpu = 1; cpu < nr_cpu_ids; cpu++) {
			if (cpus[cpu].hartid == quiet[i]) {
				cpu_boot_finish(cpu);
			}
		}
	}
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
