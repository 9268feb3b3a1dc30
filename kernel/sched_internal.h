/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Private to the scheduler (sched.c, sched_hotplug.c): the run-queue helpers. The rules
 * are sched.c's: every *_locked call holds that CPU's rq_lock with interrupts off.
 */
#ifndef HP_SCHED_INTERNAL_H
#define HP_SCHED_INTERNAL_H

#include "sched.h"
#include "percpu.h"

/* Locks the queue of the CPU @t belongs to (re-checked after locking); its number. */
unsigned int lock_task_rq(struct task *t);
void enqueue_locked(struct cpu *c, struct task *t);
void dequeue_locked(struct cpu *c, struct task *t);
/* Makes @cpu look at its run queue soon. */
void resched_cpu(unsigned int cpu);
/* A runnable bound user thread whose CPU is not active goes on its held list: true. */
bool hold_locked(struct cpu *c, struct task *t);
/* Puts a @migrating task on the best CPU it may use. */
void place_task(struct task *t);

#endif
