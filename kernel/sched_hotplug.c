/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The scheduler's side of CPU hotplug: its state callbacks (sched:starting/dying,
 * sched:active, sched:waitempty: kernel/hotplug/states.c) and bound user threads,
 * which those steps hold while their CPU is down (docs/ipc.md). The run queues and
 * their locking are sched.c's (sched_internal.h).
 */
#include "sched.h"
#include "percpu.h"
#include "log.h"
#include "atomic.h"
#include "err.h"
#include "cpuhp.h"
#include "cpuhp_callbacks.h"
#include "sched_internal.h"

void sched_cpu_starting(unsigned int cpu)
{
	struct cpu *c = &cpus[cpu];
	c->need_resched = 0;
	c->migrate = NULL;
	c->idle->on_cpu = true;
	c->current = c->idle;
}

void sched_cpu_dying(unsigned int cpu)
{
	struct cpu *c = &cpus[cpu];
	if (c->rq_count) {
		struct task *first = list_entry(c->rq.next, struct task, run_node);
		pr_err("sched: CPU%u dies with %u tasks queued (first: %s, pid %d, state %d)\n", cpu,
		       c->rq_count, first->name, first->pid, first->state);
	}
}

int sched_cpu_activate(unsigned int cpu)
{
	struct cpu *c = &cpus[cpu];
	bool any = false;

	cpumask_set(&cpu_active_mask, cpu);
	cpuhp_trace_mask(cpu, "active", true);
	/* Its bound user threads held while it was down run again (hold_locked). */
	unsigned long flags = arch_irq_save();
	raw_spin_lock(&c->rq_lock);
	c->bound_grace = false;
	while (!list_empty(&c->held)) {
		struct task *t = list_entry(c->held.next, struct task, run_node);
		list_del(&t->run_node);
		t->held = false;
		enqueue_locked(c, t);
		any = true;
	}
	raw_spin_unlock(&c->rq_lock);
	if (any) {
		resched_cpu(cpu);
	}
	arch_irq_restore(flags);
	return 0;
}

/* True if @cpu's queue holds a task that must leave before the CPU can go. */
static bool has_movable_tasks(unsigned int cpu)
{
	struct cpu *c = &cpus[cpu];
	bool found = false;
	unsigned long flags = arch_irq_save();
	raw_spin_lock(&c->rq_lock);
	for (struct list_head *pos = c->rq.next; pos != &c->rq; pos = pos->next) {
		struct task *t = list_entry(pos, struct task, run_node);
		if (!t->percpu_thread && !t->user_bound) {
			found = true;
		}
	}
	raw_spin_unlock(&c->rq_lock);
	arch_irq_restore(flags);
	return found;
}

/* Pushes every queued task that is not a per-CPU thread to another CPU. */
static void push_tasks(unsigned int cpu)
{
	struct cpu *c = &cpus[cpu];
	struct list_head moving, *pos, *tmp;
	unsigned long flags = arch_irq_save();

	list_init(&moving);
	raw_spin_lock(&c->rq_lock);
	list_for_each_safe(pos, tmp, &c->rq) {
		struct task *t = list_entry(pos, struct task, run_node);
		/* A bound user thread stays: its server parks it, or sched:waitempty holds it. */
		if (!t->percpu_thread && !t->user_bound) {
			dequeue_locked(c, t);
			t->migrating = true;
			list_add_tail(&t->run_node, &moving);
		}
	}
	raw_spin_unlock(&c->rq_lock);
	list_for_each_safe(pos, tmp, &moving) {
		struct task *t = list_entry(pos, struct task, run_node);
		list_del(pos);
		if (t->bound) {
			/* Bound by hand, not a per-CPU thread: it cannot be parked, so it moves. */
			t->bound = false;
		}
		place_task(t);
	}
	arch_irq_restore(flags);
}

int sched_cpu_deactivate(unsigned int cpu)
{
	struct cpumask rest;

	rest = cpu_active_mask;
	cpumask_unset(&rest, cpu);
	if (cpumask_empty(&rest)) {
		return -EBUSY;     /* the last CPU that takes tasks stays */
	}
	WRITE_ONCE(cpus[cpu].bound_grace, true);
	cpumask_unset(&cpu_active_mask, cpu);
	cpuhp_trace_mask(cpu, "active", false);
	push_tasks(cpu);
	return 0;
}

/* Waits until only per-CPU threads are left on @cpu (runs on its hotplug thread). */
int sched_cpu_wait_empty(unsigned int cpu)
{
	while (has_movable_tasks(cpu)) {
		push_tasks(cpu);
		yield();
	}
	/*
	 * Bound user threads still runnable here were not parked by their server: they
	 * wait, held, for the CPU to come back (never run elsewhere); so does any woken
	 * from now on, the CPU being inactive.
	 */
	struct cpu *c = &cpus[cpu];
	struct list_head *pos, *tmp;
	unsigned long flags = arch_irq_save();
	raw_spin_lock(&c->rq_lock);
	c->bound_grace = false;
	list_for_each_safe(pos, tmp, &c->rq) {
		struct task *t = list_entry(pos, struct task, run_node);
		if (t->user_bound) {
			dequeue_locked(c, t);
			hold_locked(c, t);
		}
	}
	raw_spin_unlock(&c->rq_lock);
	arch_irq_restore(flags);
	return 0;
}

int sched_bind_user(int cpu)
{
	struct task *t = current_task();
	unsigned long flags;

	if (cpu < 0) {
		flags = arch_irq_save();
		unsigned int on = lock_task_rq(t);
		t->user_bound = false;
		t->bound = false;
		t->allowed = cpu_possible_mask;
		raw_spin_unlock(&cpus[on].rq_lock);
		arch_irq_restore(flags);
		return 0;
	}
	if ((unsigned int)cpu >= nr_cpu_ids || !cpu_online((unsigned int)cpu) || !t->proc) {
		return -EINVAL;
	}
	flags = arch_irq_save();
	unsigned int on = lock_task_rq(t);
	t->bind_cpu = (unsigned int)cpu;
	cpumask_clear(&t->allowed);
	cpumask_set(&t->allowed, (unsigned int)cpu);
	t->bound = true;
	t->user_bound = true;
	raw_spin_unlock(&cpus[on].rq_lock);
	arch_irq_restore(flags);
	/* The switch away moves us (__schedule), or holds us if the CPU is not active. */
	yield();
	return this_cpu_id() == (unsigned int)cpu ? 0 : -EAGAIN;
}

void sched_release_killed(struct task *t)
{
	unsigned long flags = arch_irq_save();
	unsigned int cpu = lock_task_rq(t);
	bool place = false;
	if (t->user_bound) {
		t->user_bound = false;
		t->bound = false;
		t->allowed = cpu_possible_mask;
		if (t->held) {
			list_del(&t->run_node);
			t->held = false;
			t->migrating = true;
			place = true;
		}
	}
	raw_spin_unlock(&cpus[cpu].rq_lock);
	if (place) {
		place_task(t);
	}
	arch_irq_restore(flags);
}
