/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Test-and-set spinlocks with a halting back-off. After a short spin the waiter halts
 * in arch_wait_brief(): under single-threaded TCG the holder's vCPU only runs when
 * this one stops, so spinning on would keep the lock held for a whole scheduling slice.
 */
#include "spinlock.h"
#include "sched.h"
#include "percpu.h"
#include "log.h"
#include "atomic.h"

#define SPIN_BEFORE_HALT 64
#define HALT_TICKS 20           /* 2 us at QEMU virt's 10 MHz timebase */

bool raw_spin_trylock(spinlock_t *l)
{
	return !__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE);
}

/* Out of line, so that the uncontended path above saves no registers for it. */
static __attribute__((noinline)) void raw_spin_lock_contended(spinlock_t *l)
{
	unsigned int spins = 0;

	while (!raw_spin_trylock(l)) {
		while (__atomic_load_n(&l->locked, __ATOMIC_RELAXED)) {
			if (++spins >= SPIN_BEFORE_HALT) {
				arch_wait_brief(HALT_TICKS);
			}
		}
	}
}

void raw_spin_lock(spinlock_t *l)
{
	if (!raw_spin_trylock(l)) {
		raw_spin_lock_contended(l);
	}
}

void raw_spin_unlock(spinlock_t *l)
{
	__atomic_store_n(&l->locked, 0, __ATOMIC_RELEASE);
}

void spin_lock(spinlock_t *l)
{
	preempt_disable();
	raw_spin_lock(l);
}

void spin_unlock(spinlock_t *l)
{
	raw_spin_unlock(l);
	preempt_enable();
}

unsigned long spin_lock_irqsave(spinlock_t *l)
{
	unsigned long flags = arch_irq_save();
	spin_lock(l);
	return flags;
}

unsigned long raw_spin_lock_irqsave(spinlock_t *l)
{
	unsigned long flags = arch_irq_save();
	raw_spin_lock(l);
	return flags;
}

void raw_spin_unlock_irqrestore(spinlock_t *l, unsigned long flags)
{
	raw_spin_unlock(l);
	arch_irq_restore(flags);
}

void spin_unlock_irqrestore(spinlock_t *l, unsigned long flags)
{
	spin_unlock(l);
	arch_irq_restore(flags);
}

void spin_report_not_locked(const char *lock, const char *fn)
{
	pr_err("WARNING: %s: called without %s held (CPU%u)\n", fn, lock, this_cpu_id());
}
