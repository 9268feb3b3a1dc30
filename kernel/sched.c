/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Per-CPU round-robin scheduler for kernel threads.
 *
 * Locking: each CPU's rq_lock is a raw lock taken with interrupts off. schedule()
 * holds it across the context switch; the task switched to releases it
 * (sched_finish_switch), so no other CPU can touch the previous task until its stack
 * is no longer in use. A task's @cpu changes only under that CPU's rq_lock, and whoever
 * locks "t->cpu's queue" re-reads t->cpu after locking. Never hold two rq_locks
 * (but a dead CPU's with a live one's: sched_move_sleepers, sleep.c).
 * Lock order: tasks_lock → wait queue locks → rq_lock → log lock.
 */
#include <string.h>
#include <stdio.h>
#include "sched.h"
#include "vm.h"
#include "process.h"
#include "percpu.h"
#include "smp.h"
#include "alloc.h"
#include "log.h"
#include "atomic.h"
#include "err.h"
#include "cpuhp.h"
#include "cpuhp_callbacks.h"
#include "../hotplug/variant.h"     /* whether an idle task can be taken down */
#include "sched_internal.h"
#include "sched_handoff.h"

#define TASK_STACK_SIZE 8192

static struct task idle_tasks[NR_CPUS];
static spinlock_t tasks_lock = SPINLOCK_INIT;
static struct list_head all_tasks = LIST_HEAD_INIT(all_tasks);
static int next_pid = 1;

/*
 * The running task, in one load (arch_this_cpu_current): a task preempted between
 * finding its CPU and reading that CPU's current could resume elsewhere and come back
 * with whatever now runs on its old CPU (that CPU's idle task, say; debug taskrace
 * faulted so). Once read, the answer holds: a task is itself wherever it runs.
 */
struct task *sched_current(void)
{
	return arch_this_cpu_current();
}

struct task *sched_idle_task(unsigned int cpu)
{
	return &idle_tasks[cpu];
}

const char *task_state_name(int state)
{
	switch (state) {
	case TASK_RUNNING: return "R";
	case TASK_SLEEPING: return "S";
	case TASK_PARKED: return "P";
	case TASK_DEAD: return "X";
	default: return "?";
	}
}

static void task_register(struct task *t)
{
	unsigned long flags = spin_lock_irqsave(&tasks_lock);
	t->pid = next_pid++;
	list_add_tail(&t->all_node, &all_tasks);
	spin_unlock_irqrestore(&tasks_lock, flags);
}

void sched_init_cpu(unsigned int cpu)
{
	struct cpu *c = &cpus[cpu];
	struct task *idle = &idle_tasks[cpu];

	spin_lock_init(&c->rq_lock);
	list_init(&c->rq);
	list_init(&c->sleepers);
	list_init(&c->held);
	c->rq_count = 0;
	memset(idle, 0, sizeof(*idle));
	snprintf(idle->name, sizeof(idle->name), "idle/%u", cpu);
	idle->magic = TASK_MAGIC;
	idle->refs = 1;               /* never dropped: idle tasks are static */
	idle->is_idle = true;
	idle->bound = true;
	idle->cpu = cpu;
	idle->on_cpu = true;
	idle->state = TASK_RUNNING;
	cpumask_set(&idle->allowed, cpu);
	list_init(&idle->run_node);
	list_init(&idle->sleep_node);
	c->idle = idle;
	c->current = idle;
	task_register(idle);
}

/* ---- preemption and the atomic-sleep check ---- */

void preempt_disable(void)
{
	current_task()->preempt_count++;
	barrier();
}

static void __schedule(bool preempt);

void preempt_enable(void)
{
	struct task *t = current_task();
	barrier();
	/*
	 * A preemption, not a sleep: the task may be between setting its state and
	 * deciding to sleep, and must stay runnable whatever its state says.
	 */
	if (--t->preempt_count == 0 && READ_ONCE(this_cpu()->need_resched) &&
	    arch_irqs_enabled() && this_cpu()->irq_depth == 0) {
		__schedule(true);
	}
}

static bool atomic_context(struct task *t)
{
	return t->preempt_count != 0 || !arch_irqs_enabled() || this_cpu()->irq_depth != 0;
}

bool preemptible(void)
{
	return !atomic_context(current_task());
}

static void report_atomic_sleep(struct task *t, void *caller)
{
	printk(LOG_ERR, "BUG: scheduling while atomic: %s/%u\n", t->name, this_cpu_id());
	printk(LOG_ERR, "  context: pid %d preempt_count %d irqs %s irq_depth %u%s, called from %p\n",
	       t->pid, t->preempt_count, arch_irqs_enabled() ? "on" : "off", this_cpu()->irq_depth,
	       t->is_idle ? ", idle task" : "", caller);
}

void might_sleep(void)
{
	struct task *t = current_task();
	if (atomic_context(t) || t->is_idle) {
		report_atomic_sleep(t, arch_return_address());
	}
}

/* ---- run queues ---- */

/*
 * Locks the run queue that owns @t; returns its CPU. Interrupts must be off. A task
 * on its way between queues (@migrating: taken off one under its lock, not yet put on
 * the next) belongs to no queue: wait until place_task() has put it somewhere, or two
 * CPUs could each think it is theirs.
 */
unsigned int lock_task_rq(struct task *t)
{
	for (;;) {
		unsigned int cpu = READ_ONCE(t->cpu);
		raw_spin_lock(&cpus[cpu].rq_lock);
		if (READ_ONCE(t->cpu) == cpu && !load_acquire(&t->migrating)) {
			return cpu;
		}
		raw_spin_unlock(&cpus[cpu].rq_lock);
		arch_wait_brief(1);
	}
}

void enqueue_locked(struct cpu *c, struct task *t)
{
	assert_spin_locked(&c->rq_lock);
	/* Urgent tasks (the stop_machine stoppers) go first. */
	if (t->urgent) {
		list_add(&t->run_node, &c->rq);
	} else {
		list_add_tail(&t->run_node, &c->rq);
	}
	t->on_rq = true;
	c->rq_count++;
}

void dequeue_locked(struct cpu *c, struct task *t)
{
	assert_spin_locked(&c->rq_lock);
	list_del(&t->run_node);
	t->on_rq = false;
	c->rq_count--;
}

/* debug lockassert: a run-queue helper's assertion, asked without the lock held. */
void sched_selftest_rq_unlocked(void)
{
	struct cpu *c = this_cpu();

	assert_spin_locked(&c->rq_lock);
}

/* Makes @cpu look at its run queue soon. */
void resched_cpu(unsigned int cpu)
{
	if (cpu == this_cpu_id()) {
		WRITE_ONCE(cpus[cpu].need_resched, 1);
	} else {
		smp_send_ipi(cpu, IPI_RESCHED);
	}
}

static bool cpu_takes_tasks(unsigned int cpu)
{
	return cpumask_test(&cpu_active_mask, cpu);
}

/*
 * Where @t should run: its allowed and active CPU with the shortest queue. A task
 * whose allowed CPUs are all gone gets its affinity widened (Linux says the same for
 * user tasks); a bound thread stays on its CPU.
 */
static unsigned int select_cpu(struct task *t)
{
	struct cpumask ok;
	unsigned int cpu, best = NR_CPUS;

	if (t->bound) {
		return t->user_bound ? t->bind_cpu : t->cpu;
	}
	cpumask_and(&ok, &t->allowed, &cpu_active_mask);
	if (cpumask_empty(&ok)) {
		printk(LOG_INFO, "process %d (%s) no longer affine to cpu%u\n", t->pid, t->name, t->cpu);
		t->allowed = cpu_active_mask;
		ok = cpu_active_mask;
	}
	for_each_cpu(cpu, &ok) {
		if (best == NR_CPUS || READ_ONCE(cpus[cpu].rq_count) < READ_ONCE(cpus[best].rq_count) ||
		    (cpu == t->cpu && cpus[cpu].rq_count == cpus[best].rq_count)) {
			best = cpu;
		}
	}
	return best == NR_CPUS ? this_cpu_id() : best;
}

/*
 * Under @c's rq_lock: a runnable bound user thread whose CPU is not active waits on
 * the CPU's held list instead of its queue (released by sched_cpu_activate). Going
 * down, it still runs until sched:waitempty: its server's teardown, which comes
 * before, may need it to park itself.
 */
bool hold_locked(struct cpu *c, struct task *t)
{
	if (!t->user_bound || cpumask_test(&cpu_active_mask, c->id) || READ_ONCE(c->bound_grace)) {
		return false;
	}
	t->held = true;
	list_add_tail(&t->run_node, &c->held);
	return true;
}

/* Puts a runnable task that is on no queue and no CPU onto a suitable queue. */
/*
 * Puts a task that is @migrating (no queue's) on the best CPU it may use. The choice
 * is made without the target's lock, so it is checked again under it: a CPU that
 * went inactive meanwhile may already have pushed its tasks away and be on its way
 * down (sched_cpu_deactivate clears the bit before it takes the lock to push).
 */
void place_task(struct task *t)
{
	unsigned int target;
	struct cpu *c;

	for (;;) {
		target = select_cpu(t);
		c = &cpus[target];
		raw_spin_lock(&c->rq_lock);
		if (t->bound || cpu_takes_tasks(target)) {
			break;
		}
		raw_spin_unlock(&c->rq_lock);
	}
	WRITE_ONCE(t->cpu, target);
	bool held = hold_locked(c, t);
	if (!held) {
		enqueue_locked(c, t);
	}
	store_release(&t->migrating, false);
	raw_spin_unlock(&c->rq_lock);
	if (!held) {
		resched_cpu(target);
	}
}

/* Second half of every switch, run by the task switched to; interrupts off. */
void sched_finish_switch(void)
{
	struct cpu *c = this_cpu();
	struct task *m = c->migrate;
	struct task *prev_dead = NULL;

	c->migrate = NULL;
	if (m && m->state == TASK_DEAD) {
		prev_dead = m;
		m = NULL;
	}
	raw_spin_unlock(&c->rq_lock);
	if (m) {
		place_task(m);
	}
	if (prev_dead) {
		task_put(prev_dead);       /* its own reference: gone once nobody holds one */
	}
}

void sched_switch_mm_slow(struct cpu *c)
{
	sched_take_mm(c);
}

/*
 * Under @c's rq_lock, interrupts off: @next runs instead of @prev. Returns in @prev
 * once something switches back to it, on whichever CPU that is, the lock released.
 */
static void switch_locked(struct cpu *c, struct task *prev, struct task *next)
{
	sched_switch_tasks(c, prev, next);
	sched_switch_mm(c);
	arch_context_switch(&prev->ctx, task_resume_context(next));
	/* Back in prev, on whichever CPU picked it. */
	sched_finish_switch();
}

/*
 * @preempt: the task is being preempted, not going to sleep; it stays runnable
 * whatever its state says (it may be half-way through preparing to sleep).
 */
static void __schedule(bool preempt)
{
	unsigned long flags = arch_irq_save();
	struct cpu *c = this_cpu();
	struct task *prev = c->current, *next;

	raw_spin_lock(&c->rq_lock);
	c->need_resched = 0;
	if (!prev->is_idle) {
		if (prev->state == TASK_DEAD) {
			c->migrate = prev;    /* freed once we are off its stack */
		} else if (preempt || prev->state == TASK_RUNNING) {
			if (prev->user_bound && prev->bind_cpu != c->id) {
				prev->migrating = true;  /* just bound: place_task takes it there */
				c->migrate = prev;
			} else if (cpumask_test(&prev->allowed, c->id) &&
			    (cpu_takes_tasks(c->id) || prev->bound)) {
				enqueue_locked(c, prev);
			} else {
				prev->migrating = true;
				c->migrate = prev;
			}
		}
	}
	if (!list_empty(&c->rq)) {
		next = list_entry(c->rq.next, struct task, run_node);
		dequeue_locked(c, next);
	} else {
		next = c->idle;
	}
	if (next == prev) {
		raw_spin_unlock(&c->rq_lock);
		arch_irq_restore(flags);
		return;
	}
	switch_locked(c, prev, next);
	arch_irq_restore(flags);
}

void schedule(void)
{
	struct task *t = current_task();

	if (t->is_idle && t->state != TASK_RUNNING) {
		/* The idle task must always be able to run: refuse, loudly. */
		report_atomic_sleep(t, arch_return_address());
		t->state = TASK_RUNNING;
		return;
	}
	if (t->state != TASK_RUNNING && atomic_context(t)) {
		report_atomic_sleep(t, arch_return_address());
	}
	__schedule(false);
}

void yield(void)
{
	schedule();
}

/* A preemption point outside interrupts (on the way back to user mode). */
void schedule_preempt(void)
{
	__schedule(true);
}

void *task_stack_top(struct task *t)
{
	return (char *)t->stack + TASK_STACK_SIZE;
}

void sched_irq_exit(void)
{
	struct cpu *c = this_cpu();

	c->irq_depth--;
	if (c->irq_depth == 0 && c->need_resched && c->current->preempt_count == 0) {
		__schedule(true);
	}
}

void sched_tick(void)
{
	struct cpu *c = this_cpu();
	if (c->rq_count > 0) {
		c->need_resched = 1;
	}
}

/* ---- waking ---- */

bool sched_try_wake(struct task *t, int from_state)
{
	unsigned long flags = arch_irq_save();
	unsigned int cpu = lock_task_rq(t);
	bool woke = false, place = false, held = false;

	if (t->state == from_state) {
		__atomic_store_n(&t->state, TASK_RUNNING, __ATOMIC_SEQ_CST);
		woke = true;
		if (!t->on_cpu && !t->on_rq) {
			if (t->user_bound && cpu != t->bind_cpu) {
				t->migrating = true;     /* bound, not yet moved there */
				place = true;
			} else if (hold_locked(&cpus[cpu], t)) {
				held = true;             /* nothing for its CPU to do yet */
			} else if (t->bound || (cpumask_test(&t->allowed, cpu) && cpu_takes_tasks(cpu))) {
				enqueue_locked(&cpus[cpu], t);
			} else {
				t->migrating = true;
				place = true;
			}
		}
	}
	raw_spin_unlock(&cpus[cpu].rq_lock);
	if (place) {
		place_task(t);
	} else if (woke && !held) {
		resched_cpu(cpu);
	}
	arch_irq_restore(flags);
	return woke;
}

void wake_up_task(struct task *t)
{
	sched_try_wake(t, TASK_SLEEPING);
}

/* ---- threads ---- */

static void task_trampoline(void)
{
	struct task *t;

	sched_finish_switch();
	arch_irq_enable();
	t = current_task();
	t->fn(t->arg);
	task_exit();
}

struct task *kthread_create(void (*fn)(void *), void *arg, const char *name)
{
	struct task *t = kzalloc(sizeof(*t));
	if (!t) {
		return NULL;
	}
	t->stack = kmalloc(TASK_STACK_SIZE);
	if (!t->stack) {
		kfree(t);
		return NULL;
	}
	snprintf(t->name, sizeof(t->name), "%s", name);
	t->magic = TASK_MAGIC;
	t->refs = 1;
	t->fn = fn;
	t->arg = arg;
	t->state = TASK_SLEEPING;     /* not started until woken */
	t->cpu = this_cpu_id();
	t->allowed = cpu_possible_mask;
	list_init(&t->run_node);
	list_init(&t->sleep_node);
	arch_context_init(&t->ctx, (char *)t->stack + TASK_STACK_SIZE, task_trampoline);
	task_register(t);
	return t;
}

void kthread_bind(struct task *t, unsigned int cpu)
{
	cpumask_clear(&t->allowed);
	cpumask_set(&t->allowed, cpu);
	t->cpu = cpu;
	t->bound = true;
}

void kthread_start(struct task *t)
{
	/* Spread new threads: start them on the least loaded CPU they may use. */
	if (!t->bound) {
		t->cpu = select_cpu(t);
	}
	wake_up_task(t);
}

struct task *kthread_run(void (*fn)(void *), void *arg, const char *name)
{
	struct task *t = kthread_create(fn, arg, name);
	if (t) {
		kthread_start(t);
	}
	return t;
}

void task_exit(void)
{
	struct task *t = current_task();
	unsigned long flags = spin_lock_irqsave(&tasks_lock);
	list_del(&t->all_node);
	spin_unlock_irqrestore(&tasks_lock, flags);
	arch_irq_disable();
	t->state = TASK_DEAD;
	__schedule(false);
	panic("dead task %s scheduled again", t->name);
}

/* ---- affinity ---- */

int sched_set_affinity(struct task *t, const struct cpumask *mask)
{
	struct cpumask ok;
	unsigned long flags;
	unsigned int cpu;
	bool place = false, kick = false;

	if (!task_check(t, __func__)) {
		return -ESRCH;
	}
	cpumask_and(&ok, mask, &cpu_active_mask);
	if (cpumask_empty(&ok) || t->bound || t->is_idle) {
		return -EINVAL;
	}
	flags = arch_irq_save();
	cpu = lock_task_rq(t);
	if (t->state == TASK_DEAD) {
		raw_spin_unlock(&cpus[cpu].rq_lock);
		arch_irq_restore(flags);
		return -ESRCH;             /* exited: a held reference keeps only the memory */
	}
	t->allowed = *mask;
	if (!cpumask_test(mask, cpu)) {
		if (t->on_cpu) {
			kick = true;           /* schedule() on that CPU moves it */
		} else if (t->on_rq) {
			dequeue_locked(&cpus[cpu], t);
			t->migrating = true;
			place = true;
		} else {
			WRITE_ONCE(t->cpu, cpumask_next(&ok, 0));
		}
	}
	raw_spin_unlock(&cpus[cpu].rq_lock);
	if (place) {
		place_task(t);
	}
	if (kick) {
		resched_cpu(cpu);
	}
	arch_irq_restore(flags);
	return 0;
}

/* ---- the idle loop ---- */

void cpu_idle_loop(void)
{
	struct cpu *c = this_cpu();

	for (;;) {
		arch_irq_disable();
		if (CPUHP_CAN_TAKE_DOWN && !cpu_online(c->id)) {
			cpuhp_idle_dead();     /* taken down: does not return */
		}
		/*
		 * Checked with interrupts off: a wake-up IPI after this still ends the WFI. An
		 * IPI that ends it is handled here as its interrupt would be, minus the trap
		 * (most wake-ups of an idle CPU are one).
		 */
		if (!READ_ONCE(c->need_resched) && READ_ONCE(c->rq_count) == 0 && arch_cpu_idle()) {
			c->irq_depth++;
			smp_ipi_interrupt();
			c->irq_depth--;
		}
		arch_irq_enable();
		if (READ_ONCE(c->need_resched) || READ_ONCE(c->rq_count)) {
			__schedule(false);
		}
	}
}

/* ---- inspection ---- */

void sched_for_each_task(task_visit_fn fn, void *arg)
{
	unsigned long flags = spin_lock_irqsave(&tasks_lock);
	struct list_head *pos;
	for (pos = all_tasks.next; pos != &all_tasks; pos = pos->next) {
		fn(list_entry(pos, struct task, all_node), arg);
	}
	spin_unlock_irqrestore(&tasks_lock, flags);
}

void task_get(struct task *t)
{
	atomic_add(&t->refs, 1);
}

void task_put(struct task *t)
{
	if (task_check(t, "task_put") && atomic_sub(&t->refs, 1) == 0) {
		t->magic = 0;
		kfree(t->stack);
		kfree(t);
	}
}

void task_wait_unreferenced(struct task *t)
{
	while (load_acquire(&t->refs) > 1) {
		yield();
	}
}

bool task_check(const struct task *t, const char *what)
{
	if (READ_ONCE(t->magic) == TASK_MAGIC) {
		return true;
	}
	pr_err("BUG: %s: task %p used after it was freed (magic %08x)\n", what, (const void *)t,
	       READ_ONCE(t->magic));
	return false;
}

struct task *sched_find_task(int pid)
{
	struct task *found = NULL;
	unsigned long flags = spin_lock_irqsave(&tasks_lock);
	struct list_head *pos;
	for (pos = all_tasks.next; pos != &all_tasks; pos = pos->next) {
		struct task *t = list_entry(pos, struct task, all_node);
		if (t->pid == pid) {
			found = t;
		}
	}
	if (found) {
		task_get(found);           /* still listed, so not dead: its own ref holds */
	}
	spin_unlock_irqrestore(&tasks_lock, flags);
	return found;
}
