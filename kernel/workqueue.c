/* SPDX-License-Identifier: BSD-2-Clause */
/* Per-CPU deferred work, with hand-over of pending items when a CPU dies. */
#include "workqueue.h"
#include "cpuhp_callbacks.h"
#include "sched.h"
#include "percpu.h"
#include "log.h"
#include "atomic.h"

struct worker_pool {
	spinlock_t lock;
	struct list_head pending;
	unsigned long count;
	bool dead;                  /* past its DEAD step: new items go elsewhere */
	struct task *thread;
	struct wait_queue wq;
};

static struct worker_pool pools[NR_CPUS];
static struct workqueue_stats stats;

struct task *workqueue_thread(unsigned int cpu)
{
	return pools[cpu].thread;
}

struct task *workqueue_set_thread(unsigned int cpu, struct task *t)
{
	pools[cpu].thread = t;
	return t;
}

void workqueue_init(void)
{
	for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++) {
		struct worker_pool *p = &pools[cpu];
		spin_lock_init(&p->lock);
		list_init(&p->pending);
		wait_queue_init(&p->wq);
		p->dead = cpu != 0;     /* only the boot CPU takes work until others come up */
	}
}

void queue_work_on(unsigned int cpu, struct work *w)
{
	for (;;) {
		struct worker_pool *p = &pools[cpu];
		unsigned long flags = spin_lock_irqsave(&p->lock);
		if (!p->dead) {
			list_add_tail(&w->node, &p->pending);
			p->count++;
			spin_unlock_irqrestore(&p->lock, flags);
			atomic_add(&stats.queued, 1);
			wake_up_all(&p->wq);
			return;
		}
		spin_unlock_irqrestore(&p->lock, flags);
		/* That CPU is gone: the item runs on a live one instead, never nowhere. */
		atomic_add(&stats.redirected, 1);
		cpu = cpumask_next(&cpu_online_mask, 0);
	}
}

void worker_thread_fn(void *arg)
{
	struct worker_pool *p = &pools[(uintptr_t)arg];

	for (;;) {
		wait_event(&p->wq, READ_ONCE(p->count) != 0 || kthread_should_park());
		if (kthread_should_park()) {
			kthread_parkme();
			continue;
		}
		unsigned long flags = spin_lock_irqsave(&p->lock);
		struct work *w = NULL;
		if (!list_empty(&p->pending)) {
			w = list_entry(p->pending.next, struct work, node);
			list_del(&w->node);
			p->count--;
		}
		spin_unlock_irqrestore(&p->lock, flags);
		if (w) {
			atomic_add(&stats.executed, 1);
			w->fn(w);
		}
	}
}

int workqueue_prepare_cpu(unsigned int cpu)
{
	unsigned long flags = spin_lock_irqsave(&pools[cpu].lock);
	pools[cpu].dead = false;
	spin_unlock_irqrestore(&pools[cpu].lock, flags);
	return 0;
}

/* DEAD step, on the control CPU: the dead CPU's pending items move here. */
int workqueue_dead_cpu(unsigned int cpu)
{
	struct worker_pool *from = &pools[cpu], *to = &pools[this_cpu_id()];
	struct list_head moved;
	unsigned long n;

	list_init(&moved);
	unsigned long flags = spin_lock_irqsave(&from->lock);
	from->dead = true;
	list_splice_tail_init(&from->pending, &moved);
	n = from->count;
	from->count = 0;
	spin_unlock_irqrestore(&from->lock, flags);
	if (n) {
		flags = spin_lock_irqsave(&to->lock);
		list_splice_tail_init(&moved, &to->pending);
		to->count += n;
		spin_unlock_irqrestore(&to->lock, flags);
		atomic_add(&stats.handed_over, n);
		wake_up_all(&to->wq);
		pr_info("workqueue: %lu pending items of CPU%u handed to CPU%u\n", n, cpu, this_cpu_id());
	}
	return 0;
}

void workqueue_get_stats(struct workqueue_stats *s)
{
	s->queued = READ_ONCE(stats.queued);
	s->executed = READ_ONCE(stats.executed);
	s->handed_over = READ_ONCE(stats.handed_over);
	s->redirected = READ_ONCE(stats.redirected);
}

unsigned long workqueue_pending(unsigned int cpu)
{
	return READ_ONCE(pools[cpu].count);
}
