/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Starting the secondary CPUs at boot, and a secondary's first C code. Every hart is
 * started through the firmware at once and halts in the kernel until its own bring-up
 * (the hotplug state machine) releases it, so a 64-hart boot costs little more than a
 * 4-hart one; harts left unused are started into a stub that stops them again.
 */
#include "cpu_boot.h"
#include "percpu.h"
#include "sched.h"
#include "log.h"
#include "vm.h"
#include "err.h"
#include "cpuhp.h"
#include "boot_handshake.h"

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
	cpumask_set(&cpu_online_mask, c->id);
	tlb_cpu_online();
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
	for (unsigned int i = 0; i < boot_unused_count; i++) {
		quiet[(*nquiet)++] = boot_unused_harts[i];
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
