/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Deferred work: items queued to a CPU run later in that CPU's worker thread
 * (kworker/N). Items pending on a CPU that dies are handed to a live CPU in a DEAD
 * step, so none is lost; counters let tests check that.
 */
#ifndef HP_WORKQUEUE_H
#define HP_WORKQUEUE_H

#include "kernel.h"
#include "list.h"

struct task;
struct work;
typedef void (*work_fn)(struct work *w);

struct work {
	struct list_head node;
	work_fn fn;
};

struct workqueue_stats {
	unsigned long queued, executed, handed_over, redirected;
};

/* Queues @w to run on @cpu (or on a live CPU if @cpu is gone); any context. */
void workqueue_init(void);
void queue_work_on(unsigned int cpu, struct work *w);
void workqueue_get_stats(struct workqueue_stats *s);
unsigned long workqueue_pending(unsigned int cpu);

void worker_thread_fn(void *arg);
struct task *workqueue_thread(unsigned int cpu);
struct task *workqueue_set_thread(unsigned int cpu, struct task *t);

#endif
