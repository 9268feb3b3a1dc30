/* SPDX-License-Identifier: BSD-2-Clause */
/* Cross-CPU function calls over IPIs, and the stop IPI. */
#ifndef HP_SMP_H
#define HP_SMP_H

#include "kernel.h"
#include "cpumask.h"

/* Reasons for a software interrupt, set in cpu->ipi_pending before arch_send_ipi(). */
enum ipi_reason {
	IPI_CALL = 1 << 0,      /* run the call queue */
	IPI_RESCHED = 1 << 1,   /* call schedule() on the way out */
	IPI_STOP = 1 << 2,      /* halt with interrupts off (panic, poweroff) */
};

typedef void (*smp_call_fn)(void *arg);

/*
 * Runs @fn(@arg) on @cpu in interrupt context; waits for it to finish when @wait.
 * -ENXIO if @cpu is not online (no warning: a sender may name any CPU).
 *
 * Both require preemption (or interrupts) disabled, as in Linux, and warn once if
 * not: then no stop_machine can run, so a CPU seen online stays online until its call
 * is queued, and the dying CPU's flush runs it.
 */
int smp_call_function_single(unsigned int cpu, smp_call_fn fn, void *arg, bool wait);
/* The same on every online CPU of @mask except the caller; returns how many were queued. */
int smp_call_function_many(const struct cpumask *mask, smp_call_fn fn, void *arg, bool wait);

void smp_send_ipi(unsigned int cpu, unsigned int reason);
/*
 * The IPIs this CPU sends between the two go out together at the end, one firmware
 * call for several harts instead of one each (stop_machine wakes every CPU at once).
 * Interrupts stay off in between; @batch is the caller's.
 */
unsigned long smp_ipi_batch_begin(struct cpumask *batch);
void smp_ipi_batch_end(struct cpumask *batch, unsigned long flags);
/* From the tick: handles reasons whose IPI was refused or lost, at most a tick late. */
void smp_ipi_poll(void);
/* Halts every other online CPU (interrupts off); returns when they acknowledged or 100 ms. */
void smp_stop_others(void);
/* Software interrupt handler (called by the arch trap code). */
void smp_ipi_interrupt(void);
/* Runs whatever is queued for this CPU now; used while waiting, to avoid deadlock. */
void smp_call_flush_queue(void);

/*
 * Counters for tests, both zero in a correct kernel: calls run by a CPU that is not
 * online (Linux's "IPI on offline CPU"), and calls to a CPU seen online that had gone
 * offline by the time they were queued (impossible while senders keep the rule above).
 */
extern unsigned long smp_offline_ipi_count;
/* Times a CPU's tick found IPI reasons pending (their IPI late or lost): the safety net's work. */
extern unsigned long smp_ipi_by_tick;
extern unsigned long smp_call_raced_offline;

#endif
