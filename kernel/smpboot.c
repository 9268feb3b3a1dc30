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

#define IDLE_STACK_SIZE 8192
/*
 * How long a started hart may take to reach kernel code. Under TCG each vCPU is a host
 * thread, and with 64 of them on two host cores a healthy hart can take a while: the
 * budget grows with the number started at once.
 */
#define ARRIVAL_BASE_MS 1000
#define ARRIVAL_PER_CPU_MS 100

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
	int expected = CPU_BOOT_WAITING;

	arch_cpu_init();
	if (!atomic_cmpxchg(&c->boot_state, &expected, CPU_BOOT_CLAIMED)) {
		/* The control CPU gave up on us: leave without touching shared state. */
		arch_cpu_stop_self();
	}
	time_start_tick();
	c->boot_time = arch_time_now();
	cpumask_set(&cpu_online_mask, c->id);
	store_release(&c->boot_state, CPU_BOOT_ARRIVED);
	pr_info("CPU%u: hart %lu online\n", c->id, c->hartid);
	arch_irq_enable();
	cpu_idle_loop();
}

static void quiesce(unsigned long hartid, const char *why)
{
	long fw;
	int err = arch_hart_quiesce(hartid, &fw);

	if (err == -ETIMEDOUT) {
		pr_warn("hart %lu (%s): did not stop after a start/stop cycle\n", hartid, why);
	} else if (err) {
		pr_warn("hart %lu (%s): cannot be started by the firmware: %s (%s)\n", hartid, why,
			arch_fw_err_name(fw), err_name(err));
	}
}

void smp_boot_secondaries(unsigned int max_cpus)
{
	uint64_t start = arch_time_now(), hz = log_timebase();
	unsigned int cpu, started = 0;

	for (cpu = 1; cpu < nr_cpu_ids; cpu++) {
		struct cpu *c = &cpus[cpu];
		long fw;

		if (cpu >= max_cpus) {
			continue;
		}
		sched_init_cpu(cpu);
		c->boot_sp = idle_stacks[cpu] + IDLE_STACK_SIZE;
		store_release(&c->boot_state, CPU_BOOT_WAITING);
		int err = arch_cpu_start(cpu, &fw);
		if (err) {
			c->boot_state = CPU_BOOT_NONE;
			pr_err("CPU%u (hart %lu): failed to start: %s (%s)\n", cpu, c->hartid,
			       arch_fw_err_name(fw), err_name(err));
			continue;
		}
		started++;
	}
	unsigned int timeout_ms = ARRIVAL_BASE_MS + ARRIVAL_PER_CPU_MS * started;
	uint64_t deadline = start + hz * timeout_ms / 1000;
	for (cpu = 1; cpu < nr_cpu_ids && cpu < max_cpus; cpu++) {
		struct cpu *c = &cpus[cpu];
		int state;

		while ((state = load_acquire(&c->boot_state)) == CPU_BOOT_WAITING ||
		       state == CPU_BOOT_CLAIMED) {
			if (state == CPU_BOOT_WAITING && arch_time_now() > deadline) {
				int expected = CPU_BOOT_WAITING;
				if (atomic_cmpxchg(&c->boot_state, &expected, CPU_BOOT_ABANDONED)) {
					long fw;
					int st = arch_hart_status(c->hartid, &fw);
					pr_err("CPU%u (hart %lu): did not come online within %u ms (HSM status %s); skipped\n",
					       cpu, c->hartid, timeout_ms,
					       st < 0 ? arch_fw_err_name(fw) : arch_cpu_status_name(st));
					break;
				}
				continue;
			}
			arch_wait_brief(hz / 100000 + 1);
		}
		if (load_acquire(&c->boot_state) == CPU_BOOT_ARRIVED) {
			cpumask_set(&cpu_active_mask, cpu);
		}
	}
	uint64_t us = (arch_time_now() - start) * 1000000 / hz;
	pr_info("smp: Brought up %u of %u CPUs in %llu us\n", cpumask_weight(&cpu_online_mask),
		nr_cpu_ids, (unsigned long long)us);

	/* OpenSBI 1.1 spins never-started harts on a host core; one start/stop quietens them. */
	for (cpu = max_cpus; cpu < nr_cpu_ids; cpu++) {
		quiesce(cpus[cpu].hartid, "maxcpus");
	}
	for (unsigned int i = 0; i < unused_count; i++) {
		quiesce(unused_harts[i], "not used");
	}
}
