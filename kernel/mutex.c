/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Sleeping mutexes, handed out in arrival order: a thread that unlocks and at once
 * locks again (a hotplug flapper, say) must not starve a waiting reboot.
 */
#include "mutex.h"
#include "log.h"
#include "percpu.h"

static bool mutex_my_turn(struct mutex *m, unsigned long ticket)
{
	unsigned long flags = spin_lock_irqsave(&m->wq.lock);
	bool mine = m->serving == ticket;
	if (mine) {
		m->owner = current_task();
	}
	spin_unlock_irqrestore(&m->wq.lock, flags);
	return mine;
}

void mutex_lock(struct mutex *m)
{
	might_sleep();
	unsigned long flags = spin_lock_irqsave(&m->wq.lock);
	unsigned long ticket = m->next++;
	bool mine = m->serving == ticket;       /* free: ours without a second look */
	if (mine) {
		m->owner = current_task();
	}
	spin_unlock_irqrestore(&m->wq.lock, flags);
	if (!mine) {
		wait_event(&m->wq, mutex_my_turn(m, ticket));
	}
}

void mutex_unlock(struct mutex *m)
{
	unsigned long flags = spin_lock_irqsave(&m->wq.lock);
	if (m->owner != current_task()) {
		pr_err("mutex_unlock by %s, which does not hold it\n", current_task()->name);
		spin_unlock_irqrestore(&m->wq.lock, flags);
		return;
	}
	m->owner = NULL;
	m->serving++;
	bool waiters = m->serving != m->next;  /* tickets taken and not yet served */
	spin_unlock_irqrestore(&m->wq.lock, flags);
	if (waiters) {
		wake_up_all(&m->wq);
	}
}

void mutex_report_not_held(const char *lock, const char *fn)
{
	pr_err("WARNING: %s: called without %s held (task %s, CPU%u)\n", fn, lock,
	       current_task()->name, this_cpu_id());
}

bool mutex_is_held(const struct mutex *m)
{
	return __atomic_load_n(&m->owner, __ATOMIC_RELAXED) == current_task();
}
