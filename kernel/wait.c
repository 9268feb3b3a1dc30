/* SPDX-License-Identifier: BSD-2-Clause */
/* Wait queues and completions, on top of sleep and wake. */
#include "sched.h"
#include "atomic.h"
#include "log.h"
#include "err.h"
#include "arch.h"

void wait_queue_init(struct wait_queue *wq)
{
	spin_lock_init(&wq->lock);
	list_init(&wq->waiters);
}

/* prepare_to_wait's work, under @wq's lock (wait_completion_until holds it already). */
static void prepare_locked(struct wait_queue *wq, struct waiter *w)
{
	if (!w->queued || w->task != current_task()) {
		w->task = current_task();
		w->queued = true;
		list_add_tail(&w->node, &wq->waiters);
	}
	/*
	 * The state is set under the queue lock: a waker that changes the condition and
	 * then takes this lock either finds us on the list or is seen by our check.
	 */
	__atomic_store_n(&w->task->state, TASK_SLEEPING, __ATOMIC_SEQ_CST);
}

/* finish_wait's work, under @wq's lock. */
static void finish_locked(struct waiter *w)
{
	__atomic_store_n(&w->task->state, TASK_RUNNING, __ATOMIC_SEQ_CST);
	if (w->queued) {
		list_del(&w->node);
		w->queued = false;
	}
}

void prepare_to_wait(struct wait_queue *wq, struct waiter *w)
{
	unsigned long flags = spin_lock_irqsave(&wq->lock);
	prepare_locked(wq, w);
	spin_unlock_irqrestore(&wq->lock, flags);
}

void finish_wait(struct wait_queue *wq, struct waiter *w)
{
	unsigned long flags = spin_lock_irqsave(&wq->lock);
	finish_locked(w);
	spin_unlock_irqrestore(&wq->lock, flags);
}

void wake_up_all(struct wait_queue *wq)
{
	unsigned long flags = spin_lock_irqsave(&wq->lock);
	struct list_head *pos;

	for (pos = wq->waiters.next; pos != &wq->waiters; pos = pos->next) {
		wake_up_task(list_entry(pos, struct waiter, node)->task);
	}
	spin_unlock_irqrestore(&wq->lock, flags);
}

void completion_init(struct completion *c)
{
	c->done = 0;
	wait_queue_init(&c->wq);
}

void complete(struct completion *c)
{
	unsigned long flags = spin_lock_irqsave(&c->wq.lock);
	struct list_head *pos;

	c->done++;
	for (pos = c->wq.waiters.next; pos != &c->wq.waiters; pos = pos->next) {
		wake_up_task(list_entry(pos, struct waiter, node)->task);
	}
	spin_unlock_irqrestore(&c->wq.lock, flags);
}

/*
 * Takes one completion; 0, or -ETIMEDOUT once @deadline passes (DEADLINE_NEVER: never).
 * One pass under the queue lock looks, queues us and marks us sleeping, so a
 * complete() either finds us queued or left its count for us; the hotplug operations
 * wait here several times each, so it takes the lock once per look, not three times.
 */
static int wait_completion_until(struct completion *c, uint64_t deadline)
{
	struct waiter w = { .queued = false };
	int ret = -ETIMEDOUT;

	might_sleep();
	unsigned long flags = spin_lock_irqsave(&c->wq.lock);
	for (;;) {
		if (c->done) {
			c->done--;
			ret = 0;
			break;
		}
		if (deadline_passed(deadline)) {
			break;
		}
		prepare_locked(&c->wq, &w);
		spin_unlock_irqrestore(&c->wq.lock, flags);
		schedule_until(deadline);
		flags = spin_lock_irqsave(&c->wq.lock);
	}
	if (w.queued) {
		finish_locked(&w);
	}
	spin_unlock_irqrestore(&c->wq.lock, flags);
	return ret;
}

void wait_for_completion(struct completion *c)
{
	wait_completion_until(c, DEADLINE_NEVER);
}

int wait_for_completion_timeout(struct completion *c, unsigned int ms)
{
	return wait_completion_until(c, arch_time_now() + (uint64_t)ms * log_timebase() / 1000);
}
