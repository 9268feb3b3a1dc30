/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Spinlocks. spin_lock() disables preemption; spin_lock_irqsave() also disables local
 * interrupts and must be used for any lock also taken from interrupt context.
 * raw_spin_lock() does neither: it is for the scheduler's own locks, taken with
 * interrupts already off. raw_spin_lock_irqsave() turns interrupts off itself but
 * keeps no preemption count (none can happen with interrupts off): for short holds on
 * hot paths such as IPC. Waiting halts in arch_wait_brief() after a short spin (see
 * arch.h for why a waiter must never spin for long).
 */
#ifndef HP_SPINLOCK_H
#define HP_SPINLOCK_H

#include "kernel.h"

typedef struct {
	int locked;
} spinlock_t;

#define SPINLOCK_INIT { 0 }

void raw_spin_lock(spinlock_t *l);
bool raw_spin_trylock(spinlock_t *l);
void raw_spin_unlock(spinlock_t *l);
void spin_lock(spinlock_t *l);
void spin_unlock(spinlock_t *l);
unsigned long spin_lock_irqsave(spinlock_t *l);
unsigned long raw_spin_lock_irqsave(spinlock_t *l);
void raw_spin_unlock_irqrestore(spinlock_t *l, unsigned long flags);
void spin_unlock_irqrestore(spinlock_t *l, unsigned long flags);
/*
 * Lock-held assertion, Linux's assert_spin_locked(): a WARNING line naming the
 * function when @l is not locked at all. It does not ask who holds it (a lock records
 * no holder), so it costs one load on hot paths (the run queues).
 */
void spin_report_not_locked(const char *lock, const char *fn);
#define assert_spin_locked(l)                                                            \
	do {                                                                             \
		if (!__atomic_load_n(&(l)->locked, __ATOMIC_RELAXED)) {                  \
			spin_report_not_locked(#l, __func__);                            \
		}                                                                        \
	} while (0)

/*
 * raw_spin_trylock and raw_spin_unlock inline, for the IPC fast path, whose whole
 * budget is a few hundred instructions (a call costs more than the lock) and which
 * takes a busy lock as its cue to leave the call to the slow path. Interrupts off, as
 * for raw_spin_lock.
 */
static inline bool raw_spin_trylock_inline(spinlock_t *l)
{
	return !__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE);
}

static inline void raw_spin_unlock_inline(spinlock_t *l)
{
	__atomic_store_n(&l->locked, 0, __ATOMIC_RELEASE);
}

static inline void spin_lock_init(spinlock_t *l)
{
	l->locked = 0;
}

#endif
