/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Timed sleep: each CPU keeps its sleepers in deadline order under its run-queue lock,
 * and its timer interrupt wakes the due ones. When a CPU dies its sleepers move to a
 * live CPU (sched_move_sleepers(), from the scheduler's DEAD step).
 */
#include "sched.h"
#include "percpu.h"
#include "log.h"
#include "atomic.h"
#include "arch.h"

/*
 * Sleeps until woken or until @deadline (timebase ticks). The caller has set its state
 * (TASK_SLEEPING) and queued itself wherever a waker will look, or not at all.
 */
uint64_t deadline_after_ms(unsigned int ms)
{
	return ms == 0xffffffffu ? DEADLINE_NEVER : arch_time_now() + (uint64_t)ms * log_timebase() / 1000;
}

bool deadline_passed(uint64_t deadline)
{
	return deadline != DEADLINE_NEVER && arch_time_now() >= deadline;
}

void schedule_until(uint64_t deadline)
{
	if (deadline == DEADLINE_NEVER) {
		schedule();              /* no timer to arm: only a wake-up ends it */
		return;
	}
	struct task *t = current_task();
	unsigned long flags = arch_irq_save();
	struct cpu *c = this_cpu();
	unsigned int home = c->id;
	struct list_head *pos;

	raw_spin_lock(&c->rq_lock);
	t->wake_at = deadline;
	for (pos = c->sleepers.next; pos != &c->sleepers; pos = pos->next) {
		if (list_entry(pos, struct task, sleep_node)->wake_at > deadline) {
			break;
		}
	}
	list_insert_between(&t->sleep_node, pos->prev, pos);
	t->sleep_cpu = home;
	raw_spin_unlock(&c->rq_lock);
	sched_timer_reprogram();
	arch_irq_restore(flags);
	schedule();
	/*
	 * Woken by the timer or by someone else: leave the list either way. The list may
	 * have moved to another CPU meanwhile (its CPU died): lock, then re-check.
	 */
	flags = arch_irq_save();
	for (;;) {
		unsigned int owner = READ_ONCE(t->sleep_cpu);
		raw_spin_lock(&cpus[owner].rq_lock);
		if (READ_ONCE(t->sleep_cpu) == owner) {
			if (!list_empty(&t->sleep_node)) {
				list_del(&t->sleep_node);
			}
			raw_spin_unlock(&cpus[owner].rq_lock);
			break;
		}
		raw_spin_unlock(&cpus[owner].rq_lock);
	}
	arch_irq_restore(flags);
}

unsigned int sched_move_sleepers(unsigned int from, unsigned int to)
{
	unsigned int n = 0;
	unsigned long flags = arch_irq_save();

	/*
	 * Both locks at once, the dead CPU's first: the one exception to "one rq_lock at a
	 * time", and safe because nothing else holds a dead CPU's lock while it takes
	 * another. With only one held, the sleepers would wait on a private list, where a
	 * task woken meanwhile takes its node off (schedule_until) and may sleep again at
	 * once: both lists corrupted (a hang under the soak, sleepers walked for ever).
	 */
	raw_spin_lock(&cpus[from].rq_lock);
	raw_spin_lock(&cpus[to].rq_lock);
	while (!list_empty(&cpus[from].sleepers)) {
		struct list_head *pos = cpus[from].sleepers.next, *at;
		struct task *t = list_entry(pos, struct task, sleep_node);
		list_del(pos);
		for (at = cpus[to].sleepers.next; at != &cpus[to].sleepers; at = at->next) {
			if (list_entry(at, struct task, sleep_node)->wake_at > t->wake_at) {
				break;
			}
		}
		list_insert_between(pos, at->prev, at);
		WRITE_ONCE(t->sleep_cpu, to);
		n++;
	}
	raw_spin_unlock(&cpus[to].rq_lock);
	raw_spin_unlock(&cpus[from].rq_lock);
	if (to == this_cpu_id()) {
		sched_timer_reprogram();
	}
	arch_irq_restore(flags);
	return n;
}

void msleep(unsigned int ms)
{
	struct task *t = current_task();
	uint64_t deadline = arch_time_now() + (uint64_t)ms * log_timebase() / 1000;

	might_sleep();
	/* A killed user thread stops sleeping: it ends on its way back to user mode. */
	while (arch_time_now() < deadline && !READ_ONCE(t->should_park) && !READ_ONCE(t->killed)) {
		__atomic_store_n(&t->state, TASK_SLEEPING, __ATOMIC_SEQ_CST);
		schedule_until(deadline);
	}
	__atomic_store_n(&t->state, TASK_RUNNING, __ATOMIC_SEQ_CST);
}

/* Called from the timer interrupt: wakes the sleepers whose time has come. */
void sched_wake_sleepers(uint64_t now)
{
	struct cpu *c = this_cpu();
	struct task *due[16];
	unsigned int n;

	/*
	 * Each due task leaves the list under the lock and is woken outside it. Its
	 * sleep_node is never linked anywhere else meanwhile: a task woken by someone else
	 * first takes its own node off the list (schedule_until) and may sleep again at
	 * once, so a node parked on a private list here would be relinked under our feet.
	 */
	do {
		n = 0;
		raw_spin_lock(&c->rq_lock);
		while (!list_empty(&c->sleepers) && n < ARRAY_SIZE(due)) {
			struct task *t = list_entry(c->sleepers.next, struct task, sleep_node);
			if (t->wake_at > now) {
				break;
			}
			list_del(&t->sleep_node);
			task_get(t);            /* it may end once woken elsewhere: keep it till then */
			due[n++] = t;
		}
		raw_spin_unlock(&c->rq_lock);
		for (unsigned int i = 0; i < n; i++) {
			wake_up_task(due[i]);
			task_put(due[i]);
		}
	} while (n == ARRAY_SIZE(due));
}

uint64_t sched_next_sleeper(void)
{
	struct cpu *c = this_cpu();
	uint64_t when = ~0ull;

	raw_spin_lock(&c->rq_lock);
	if (!list_empty(&c->sleepers)) {
		when = list_entry(c->sleepers.next, struct task, sleep_node)->wake_at;
	}
	raw_spin_unlock(&c->rq_lock);
	return when;
}
