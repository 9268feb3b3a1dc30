/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A direct hand-off (IPC's fast path, ipc_fast.c): the current task goes to sleep and
 * @next, asleep on this CPU, runs at once, passing no run queue. It is exactly the
 * wake-up and the switch that a wake and a schedule() would make, so @next may be any
 * sleeper, wherever in the kernel it sleeps. Inline: the fast path's whole budget is a
 * few hundred instructions.
 *
 * begin takes this CPU's queue lock and checks that @next may run here now and that
 * nothing has asked the current task to stop sleeping (a kill's wake-up, made before
 * the lock, left killed set; one made after waits for the lock and finds it asleep):
 * false, nothing locked, if not, or if the lock is busy (the slow path then waits for
 * it). Between begin and commit the caller commits what wakes @next (its IPC status);
 * abort gives up instead. commit makes @next current; the caller then takes @next's
 * address space (sched_switch_mm()) and switches to @next's saved context, or, when
 * @next sleeps parked at its system call, moves to @next's stack and calls
 * sched_handoff_finish() there. Until then the lock keeps every other CPU off the
 * task that went to sleep, whose stack is still in use. Interrupts off throughout.
 */
#ifndef HP_SCHED_HANDOFF_H
#define HP_SCHED_HANDOFF_H

#include "sched.h"
#include "percpu.h"
#include "atomic.h"
#include "arch.h"
#include "process.h"

static inline bool sched_handoff_begin(struct cpu *c, struct task *next)
{
	struct task *self = c->current;

	if (!raw_spin_trylock_inline(&c->rq_lock)) {
		return false;
	}
	if (READ_ONCE(self->killed) | self->preempt_count | next->on_rq | next->on_cpu |
	    next->migrating | next->held | READ_ONCE(next->killed) ||
	    next->state != TASK_SLEEPING || READ_ONCE(next->cpu) != c->id ||
	    !cpumask_test(&cpu_active_mask, c->id) || !cpumask_test(&next->allowed, c->id) ||
	    (next->user_bound && next->bind_cpu != c->id)) {
		raw_spin_unlock_inline(&c->rq_lock);
		return false;
	}
	return true;
}

static inline void sched_handoff_abort(struct cpu *c)
{
	raw_spin_unlock_inline(&c->rq_lock);
}

/* The bookkeeping of every switch (switch_locked's too): @next is @c's current task. */
static inline void sched_switch_tasks(struct cpu *c, struct task *prev, struct task *next)
{
	prev->on_cpu = false;
	next->on_cpu = true;
	next->cpu = c->id;
	next->switches++;
	c->current = next;
}

/*
 * Both states change under the queue lock, where every waker reads them
 * (sched_try_wake), and @next's wait ended (its status) before begin: no fences.
 */
static inline void sched_handoff_commit(struct cpu *c, struct task *prev, struct task *next)
{
	__atomic_store_n(&prev->state, TASK_SLEEPING, __ATOMIC_RELAXED);
	__atomic_store_n(&next->state, TASK_RUNNING, __ATOMIC_RELAXED);
	sched_switch_tasks(c, prev, next);
}

/*
 * @c's current task's address space, made the CPU's (under the queue lock). Kernel
 * threads run on the kernel's table: a process's may be freed under them.
 */
static inline void sched_take_mm(struct cpu *c)
{
	struct task *next = c->current;

	c->active_as = next->as;
	bool flushed = arch_as_activate(next->as);
	if (next->proc) {
		vm_note_activated(next->proc, c->id, flushed);
	}
}

/* sched_take_mm() out of line, for the scheduler's switch. */
void sched_switch_mm_slow(struct cpu *c);

static inline void sched_switch_mm(struct cpu *c)
{
	if (c->current->as != c->active_as) {
		sched_switch_mm_slow(c);
	}
}

/* On the stack of the task a hand-off made current (its address space taken): the lock goes. */
static inline void sched_handoff_finish(struct cpu *c)
{
	raw_spin_unlock_inline(&c->rq_lock);
}

#endif
