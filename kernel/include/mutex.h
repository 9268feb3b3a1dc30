/* SPDX-License-Identifier: BSD-2-Clause */
/* Sleeping mutexes, for long operations such as CPU hotplug. */
#ifndef HP_MUTEX_H
#define HP_MUTEX_H

#include "sched.h"

struct mutex {
	struct wait_queue wq;
	struct task *owner;         /* NULL when free; wq.lock */
	unsigned long next;         /* ticket the next locker takes; wq.lock */
	unsigned long serving;      /* ticket that owns it, or may take it now; wq.lock */
};

#define MUTEX_INIT(name) { WAIT_QUEUE_INIT((name).wq), NULL, 0, 0 }

/* A mutex in memory allocated at run time (MUTEX_INIT is for static ones). */
static inline void mutex_init(struct mutex *m)
{
	wait_queue_init(&m->wq);
	m->owner = NULL;
	m->next = 0;
	m->serving = 0;
}

void mutex_lock(struct mutex *m);
void mutex_unlock(struct mutex *m);
bool mutex_is_held(const struct mutex *m);   /* by the calling task */
/*
 * Lock-held assertion for functions that require @m: a WARNING line naming the
 * function and the lock when the calling task does not hold it.
 */
void mutex_report_not_held(const char *lock, const char *fn);
#define lockdep_assert_held(m)                                                           \
	do {                                                                             \
		if (!mutex_is_held(m)) {                                                 \
			mutex_report_not_held(#m, __func__);                             \
		}                                                                        \
	} while (0)

#endif
