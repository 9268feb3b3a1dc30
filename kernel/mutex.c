/* Sleeping mutexes: the owner is recorded so that holding can be asserted. */
#include "mutex.h"
#include "log.h"

static bool mutex_try(struct mutex *m)
{
	unsigned long flags = spin_lock_irqsave(&m->wq.lock);
	bool got = m->owner == NULL;
	if (got) {
		m->owner = current_task();
	}
	spin_unlock_irqrestore(&m->wq.lock, flags);
	return got;
}

void mutex_lock(struct mutex *m)
{
	might_sleep();
	wait_event(&m->wq, mutex_try(m));
}

void mutex_unlock(struct mutex *m)
{
	unsigned long flags = spin_lock_irqsave(&m->wq.lock);
	if (m->owner != current_task()) {
		pr_err("mutex_unlock by %s, which does not hold it\n", current_task()->name);
	}
	m->owner = NULL;
	spin_unlock_irqrestore(&m->wq.lock, flags);
	wake_up_all(&m->wq);
}

bool mutex_is_held(const struct mutex *m)
{
	return __atomic_load_n(&m->owner, __ATOMIC_RELAXED) == current_task();
}
