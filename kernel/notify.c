/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Notifications: asynchronous events as a word of bits (seL4's notification objects).
 * signal ORs bits in and wakes the waiters; wait takes every bit set (clearing them),
 * sleeping until there is one; a wait with timeout 0 only looks (poll). Signals are
 * never lost: bits set while nobody waits stay until someone takes them. Bit 63 is
 * kept clear so that a result is never negative.
 */
#include "ipc.h"
#include "sched.h"
#include "alloc.h"
#include "spinlock.h"
#include "atomic.h"
#include "log.h"
#include "err.h"
#include "arch.h"

struct notification {
	spinlock_t lock;
	int refs;                       /* handles naming it, calls in progress: atomic */
	unsigned long bits;             /* under the lock */
	struct wait_queue waiters;
};

struct notification *notification_create(void)
{
	struct notification *n = kzalloc(sizeof(*n));
	if (n) {
		spin_lock_init(&n->lock);
		wait_queue_init(&n->waiters);
	}
	return n;
}

static void notification_get(void *obj, unsigned int rights)
{
	(void)rights;
	atomic_add(&((struct notification *)obj)->refs, 1);
}

static void notification_put(void *obj, unsigned int rights)
{
	struct notification *n = obj;
	(void)rights;
	if (atomic_sub(&n->refs, 1) == 0) {
		kfree(n);                    /* nobody waits: a waiter holds a reference */
	}
}

const struct handle_kind notification_kind = {
	.name = "notification", .get = notification_get, .put = notification_put,
};

long notification_signal(struct notification *n, unsigned long bits)
{
	if (!bits || (bits >> 63)) {
		return -EINVAL;
	}
	unsigned long flags = spin_lock_irqsave(&n->lock);
	n->bits |= bits;
	spin_unlock_irqrestore(&n->lock, flags);
	wake_up_all(&n->waiters);
	return 0;
}

static unsigned long take(struct notification *n)
{
	unsigned long flags = spin_lock_irqsave(&n->lock);
	unsigned long b = n->bits;
	n->bits = 0;
	spin_unlock_irqrestore(&n->lock, flags);
	return b;
}

long notification_wait(struct notification *n, unsigned int timeout_ms)
{
	struct task *self = current_task();
	struct waiter w = { .queued = false };
	uint64_t deadline = deadline_after_ms(timeout_ms);
	unsigned long b;

	for (;;) {
		prepare_to_wait(&n->waiters, &w);
		b = take(n);
		if (b || READ_ONCE(self->killed) || deadline_passed(deadline)) {
			break;
		}
		schedule_until(deadline);
	}
	finish_wait(&n->waiters, &w);
	if (b) {
		return (long)b;
	}
	return READ_ONCE(self->killed) ? -EINTR : -ETIMEDOUT;
}
