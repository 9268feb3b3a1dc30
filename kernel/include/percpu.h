/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Per-CPU data: one struct cpu per logical CPU, indexed by CPU number. The running
 * CPU finds its own through the arch (tp on RISC-V, set before any C code runs).
 */
#ifndef HP_PERCPU_H
#define HP_PERCPU_H

#include "kernel.h"
#include "list.h"
#include "spinlock.h"
#include "cpumask.h"
#include "arch.h"

struct task;

struct tick_base;

/**
 * struct cpu - everything that belongs to one logical CPU
 * @boot_sp:     stack pointer the CPU starts on (entry assembly reads it: asm-offsets.h)
 * @id:          logical CPU number
 * @hartid:      the hart's id as the firmware knows it
 * @current:     the running task; written only by this CPU, with interrupts off
 * @idle:        this CPU's idle task; never sleeps, never migrates
 * @rq_*:        run queue, protected by @rq_lock (raw, taken with interrupts off)
 * @sleepers:    tasks in a timed sleep on this CPU, sorted by deadline; @rq_lock
 * @need_resched: set by interrupts and wake-ups, consumed by schedule()
 * @migrate:     a task that schedule() switched away from and must place elsewhere
 * @irq_depth:   nesting of interrupt handlers on this CPU
 * @tick:        this CPU's tick state, allocated in timers:prepare, freed in its DEAD step
 * @ipi_pending: reason bits for the software interrupt (atomic)
 * @ipi_batch:   while set (interrupts off), the CPUs this one has IPIs for, sent together
 * @call_*:      queue of cross-CPU calls to run here, protected by @call_lock
 * @boot_state:  enum cpu_boot_state; moved only by kernel/boot_handshake.c
 */
struct cpu {
	void *boot_sp;
	/* trap entry from user mode (entry.S): the user's sp, and where the kernel stack is */
	unsigned long trap_user_sp;
	void *trap_kstack;
	struct arch_as *active_as;      /* the address space this CPU translates through */
	uint64_t tlb_flushed;           /* vm.c's clock at this CPU's last full TLB flush */
	bool tlb_clean;                 /* flushed on the way up, holds nothing yet (vm.c) */
	unsigned int id;
	unsigned long hartid;

	struct task *current;
	struct task *idle;
	/* IPC's fast path (ipc_fast.c): hand-offs straight back to user mode, and others */
	unsigned long ipc_direct, ipc_switched, ipc_resumed, ipc_finished_slow;

	/* rq_lock must be held */
	spinlock_t rq_lock;
	struct list_head rq;
	unsigned int rq_count;
	struct list_head sleepers;
	struct list_head held;          /* bound user threads waiting for it to be active */
	bool bound_grace;               /* going down, before sched:waitempty: they still run */
	struct task *migrate;

	int need_resched;
	unsigned int irq_depth;
	struct tick_base *tick;

	unsigned long ipi_pending;
	struct cpumask *ipi_batch;
	spinlock_t call_lock;
	struct list_head call_queue;

	int boot_state;

	/* topology, from the device tree's cpu-map */
	int core_id;
	int thread_id;
	const char *isa;
};

extern struct cpu cpus[NR_CPUS];

/* Global CPU masks, as in Linux: possible ⊇ present ⊇ online ⊇ active. */
extern struct cpumask cpu_possible_mask;
extern struct cpumask cpu_present_mask;
extern struct cpumask cpu_online_mask;
extern struct cpumask cpu_active_mask;
extern unsigned int nr_cpu_ids;    /* possible CPUs are numbered below this */

static inline struct cpu *this_cpu(void)
{
	return arch_this_cpu();
}

static inline unsigned int this_cpu_id(void)
{
	return arch_this_cpu()->id;
}

static inline bool cpu_online(unsigned int cpu)
{
	return cpumask_test(&cpu_online_mask, cpu);
}

#endif
