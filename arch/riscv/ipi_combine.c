/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * IPIs through the firmware, combined: at most one CPU at a time is inside the SBI
 * send_ipi call, and it carries the targets that every other CPU posted meanwhile.
 *
 * Why: OpenSBI from v1.5 (commit 17e82912) takes one ticket spinlock of the domain,
 * assigned_harts_lock, in every send_ipi and remote fence, around a loop over the
 * harts. Harts wait for it in M-mode with interrupts off. On real harts that is
 * short; on vCPUs that the host preempts (MTTCG on fewer host cores than harts) or
 * that QEMU's -icount round-robin runs one slice at a time, a preempted holder, or
 * the waiter whose ticket is next, stalls every other hart for a whole slice: with
 * several CPUs sending at once, IPIs arrive a tick late (ipistorm at -smp 8 --icount
 * on v1.5.1: 93 of 280) and at -smp 16 the storm makes no progress at all (gdb: 12 of
 * 16 harts in the firmware's spin_lock). The same build with that lock removed is
 * clean. A kernel cannot shorten the firmware's lock, but it can stop queueing on it:
 * one sender at a time never contends, and a CPU that finds a sender at work leaves
 * its target to it and returns at once instead of waiting in M-mode.
 *
 * Nothing is lost by handing a target over: a poster sets its bit before it tries to
 * become the sender; the sender clears its claim before it looks for bits again (both
 * sequentially consistent), so either the sender sees the bit or the poster's claim
 * succeeds. A refusal by the firmware is still reported for the CPU it concerns
 * (arch_send_ipi_mask), on whichever CPU sent it.
 */
#include "arch.h"
#include "cpumask.h"
#include "atomic.h"
#include "imsic.h"

static struct cpumask posted;   /* targets waiting for the sender */
static int sending;             /* 1 while a CPU carries the posted targets */

static bool any_posted(void)
{
	for (unsigned int i = 0; i < CPUMASK_WORDS; i++) {
		if (READ_ONCE(posted.bits[i])) {
			return true;
		}
	}
	return false;
}

void arch_post_ipi(unsigned int cpu)
{
	if (imsic_enabled()) {
		imsic_send(cpu);       /* a store to the target's file: no firmware, no lock */
		return;
	}
	cpumask_set(&posted, cpu);
	/* Interrupts off while sending: a sender held up by its own handlers holds up all. */
	unsigned long flags = arch_irq_save();
	int free = 0;
	while (any_posted() && atomic_cmpxchg(&sending, &free, 1)) {
		struct cpumask batch;
		for (unsigned int i = 0; i < CPUMASK_WORDS; i++) {
			batch.bits[i] = atomic_xchg(&posted.bits[i], 0);
		}
		(void)arch_send_ipi_mask(&batch);
		(void)atomic_xchg(&sending, 0);
		free = 0;
	}
	arch_irq_restore(flags);
}
