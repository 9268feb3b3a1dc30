/* SPDX-License-Identifier: BSD-2-Clause */
/* Boot-time CPU enumeration (cpu_enum.c) and the start of the secondaries (secondary_boot.c). */
#ifndef HP_CPU_BOOT_H
#define HP_CPU_BOOT_H

#include "kernel.h"
#include "dtb.h"

struct cpu;

/* CPU0 = the boot hart: per-CPU block, idle task, masks. First thing in kmain. */
void smp_setup_boot_cpu(unsigned long hartid);
/* Numbers the device tree's harts (boot hart first), at most @limit CPUs (nr_cpus=). */
void smp_setup_cpus(const struct dt_platform *p, unsigned long boot_hart, unsigned int limit);
/* Starts CPUs 1..max_cpus-1 and waits for them; quietens the harts left unused. */
void smp_boot_secondaries(unsigned int max_cpus);
void secondary_main(struct cpu *c);

/* Boot parameters maxcpus= (CPUs brought up) and nr_cpus= (CPUs numbered). */
extern unsigned int boot_max_cpus, boot_nr_cpus;
/* Harts in the device tree that the kernel does not use (beyond nr_cpus or NR_CPUS). */
extern unsigned long boot_unused_harts[DT_MAX_HARTS];
extern unsigned int boot_unused_count;

#endif
