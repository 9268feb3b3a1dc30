/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Kernel threads and the per-CPU scheduler: round robin on each CPU's run queue,
 * preemption on the tick, sleep/wake, wait queues, completions, park/unpark for per-CPU
 * threads, affinity and migration.
 */
#ifndef HP_SCHED_H
#define HP_SCHED_H

#include "kernel.h"
#include "ipc.h"
#include "list.h"
#include "cpumask.h"
#include "spinlock.h"
#include "arch.h"

enum task_state {
	TASK_RUNNING,   /* on a run queue, or running (on_cpu) */
	TASK_SLEEPING,  /* waiting for a wake_up() */
	TASK_PARKED,    /* per-CPU thread parked; only kthread_unpark() wakes it */
	TASK_DEAD,
};

#define TASK_NAME_LEN 16
#define TASK_MAGIC 0x7461736bu     /* "task" */

/**
 * struct task - a kernel thread
 * @ctx:           registers while switched out (arch layout)
 * @preempt_count: >0 forbids preemption and sleeping; per task so that a switch never
 *                 carries one task's count to another
 * @state:         enum task_state; changed under the run queue lock of @cpu, except
 *                 that a task sets its own state before it sleeps
 * @cpu:           the CPU whose run queue owns it (queued, running, or last ran)
 * @on_cpu:        currently running somewhere; @cpu's rq_lock
 * @on_rq:         linked on @cpu's run queue; @cpu's rq_lock
 * @allowed:       CPUs it may run on
 * @bound:         bound to one CPU by kthread_bind(): parked, never migrated
 * @refs:          references: the task's own (dropped once it is dead and switched
 *                 away from) and one per task_get(); freed at zero
 * @magic:         TASK_MAGIC while the memory is a task (freed memory is poisoned)
 */
struct task {
	struct arch_context ctx;
	unsigned int magic;
	int refs;
	int preempt_count;
	int state;
	unsigned int cpu;
	bool on_cpu;
	bool on_rq;
	bool is_idle;
	bool bound;
	bool should_park;
	bool should_stop;
	bool migrating;                 /* between two run queues: see lock_task_rq() */
	bool urgent;                    /* queued ahead of others (stoppers) */
	bool percpu_thread;             /* smpboot-style: parked with its CPU */
	bool user_bound;                /* a user thread bound to bind_cpu (sched_bind_user) */
	bool held;                      /* user_bound, runnable, waiting for its CPU */
	unsigned int bind_cpu;
	unsigned int sleep_cpu;         /* whose sleeper list holds sleep_node */
	int pid;
	char name[TASK_NAME_LEN];
	struct cpumask allowed;
	struct list_head run_node;      /* run queue */
	struct list_head all_node;      /* list of all tasks */
	struct list_head sleep_node;    /* timed sleep list */
	uint64_t wake_at;
	void (*fn)(void *arg);
	void *arg;
	void *stack;
	uint64_t switches;
	struct completion *parked_done;
	unsigned int park_gen;          /* kthread_park() requests made */
	unsigned int park_answered;     /* the last one the thread completed */
	struct arch_as *as;             /* user threads: their process's address space */
	struct process *proc;           /* user threads: their process */
	int tgid;                       /* user threads: their process's pid (for ps) */
	int killed;                     /* user threads: the status to end with on the way
					 * back to user mode (137 kill, 130 Ctrl-C), -1 its
					 * process is ending, KILLED_THREAD (-2) it alone ends
					 * (thread_kill), 0: none */
	bool interrupted;               /* Ctrl-C while it ran a kernel command (tty.c) */
	struct ipc_thread ipc;          /* user threads: IPC (ipc.c) */
};

struct process;

struct wait_queue {
	spinlock_t lock;
	struct list_head waiters;
};

struct completion {
	unsigned int done;
	struct wait_queue wq;
};

#define WAIT_QUEUE_INIT(name) { SPINLOCK_INIT, LIST_HEAD_INIT((name).waiters) }

/*
 * Where a switch to @t resumes it: a thread parked at its system call by IPC's fast
 * path (ipc_fast.c) from its park context, any other where it last switched away.
 */
static inline struct arch_context *task_resume_context(struct task *t)
{
	return t->ipc.regs ? &t->ipc.park_ctx : &t->ctx;
}

/* Drops a reference to @t that cannot be the last: its holder knows of another. */
static inline void task_put_not_last(struct task *t)
{
	__atomic_sub_fetch(&t->refs, 1, __ATOMIC_RELAXED);     /* never the one that frees */
}

static inline struct task *current_task(void);

/* Creates a thread that runs @fn(@arg) and then exits; it is not started (wake_up()). */
struct task *kthread_create(void (*fn)(void *), void *arg, const char *name);
/* Binds a not-yet-started thread to @cpu: it only runs there, and is parked, never moved. */
void kthread_bind(struct task *t, unsigned int cpu);
/* Creates and starts. */
struct task *kthread_run(void (*fn)(void *), void *arg, const char *name);
/* Starts a task made by kthread_create on the least loaded CPU it may use. */
void kthread_start(struct task *t);
/* Where a task's kernel stack begins (its highest address). */
void *task_stack_top(struct task *t);
/* Gives up the CPU if a reschedule is due, as an interrupt's return would. */
void schedule_preempt(void);
void kthread_park(struct task *t);
/* A created, bound, never-started thread becomes a parked per-CPU thread. */
void kthread_make_parked(struct task *t);
void kthread_unpark(struct task *t);
bool kthread_should_park(void);
void kthread_parkme(void);
/* Parks the calling per-CPU thread on its own request; @done completes once parked. */
void kthread_park_self(struct completion *done);
bool kthread_is_parked(struct task *t);
__noreturn void task_exit(void);

void wake_up_task(struct task *t);
/* The second half of every switch, by the task switched to: the queue lock goes. */
void sched_finish_switch(void);
void schedule(void);
void yield(void);
/* Sleeps at least @ms milliseconds; may only be called where sleeping is allowed. */
void msleep(unsigned int ms);
/* Sleeps until woken or @deadline (timebase ticks); the caller set TASK_SLEEPING. */
/* Sleeps until woken or @deadline passes; DEADLINE_NEVER: until woken. */
void schedule_until(uint64_t deadline);
#define DEADLINE_NEVER (~0ull)
/* The deadline @ms milliseconds from now; 0xffffffff (the ABI's WAIT_FOREVER): never. */
uint64_t deadline_after_ms(unsigned int ms);
bool deadline_passed(uint64_t deadline);     /* never reads the clock for NEVER */
/* Changes the CPUs @t may run on, moving it if it is now on a disallowed CPU. */
int sched_set_affinity(struct task *t, const struct cpumask *mask);
/*
 * Binds the calling user thread to @cpu (online), or unbinds it (-1). A bound user
 * thread runs on @cpu only, and only while @cpu is active: when the CPU goes down, a
 * wake-up or whatever is still runnable there at sched:waitempty is held until the CPU
 * is active again (a server parks its threads in its hotplug teardown, before that).
 * -EINVAL for a CPU that is not online, -EAGAIN if it went down meanwhile.
 */
int sched_bind_user(int cpu);
/* A bound user thread that is killed is released: it must be able to end anywhere. */
void sched_release_killed(struct task *t);

void preempt_disable(void);
/* True if the running task could be switched away from here (no preempt, irq, lock). */
bool preemptible(void);
void preempt_enable(void);
/* Prints "BUG: scheduling while atomic" when sleeping is not allowed here. */
void might_sleep(void);

void wait_queue_init(struct wait_queue *wq);
void wake_up_all(struct wait_queue *wq);
/*
 * Sleeps on @wq until @cond holds. @cond is looked at first without the queue (as
 * Linux does), and again right after each wake-up, while still queued: a wake-up
 * that made it true costs no second trip through prepare_to_wait.
 */
#define wait_event(wq, cond)                                   \
	do {                                                   \
		if (cond)                                      \
			break;                                 \
		struct waiter __w = { .queued = false };       \
		for (;;) {                                     \
			prepare_to_wait((wq), &__w);           \
			if (cond)                              \
				break;                         \
			schedule();                            \
			if (cond)                              \
				break;                         \
		}                                              \
		finish_wait((wq), &__w);                       \
	} while (0)

struct waiter {
	struct list_head node;
	struct task *task;
	bool queued;
};
void prepare_to_wait(struct wait_queue *wq, struct waiter *w);
void finish_wait(struct wait_queue *wq, struct waiter *w);

void completion_init(struct completion *c);
void complete(struct completion *c);
void wait_for_completion(struct completion *c);
/* 0 when completed, -ETIMEDOUT after @ms milliseconds. */
int wait_for_completion_timeout(struct completion *c, unsigned int ms);

/* Scheduler hooks for the rest of the kernel. */
/* Sets up @cpu's run queue and idle task (which becomes its current task). */
void sched_init_cpu(unsigned int cpu);
struct task *sched_idle_task(unsigned int cpu);
void sched_tick(void);                 /* timer interrupt */
void time_start_tick(void);            /* this CPU's periodic tick; interrupts off */
void timer_interrupt(void);            /* the arch's timer interrupt handler */
void sched_irq_exit(void);             /* end of every interrupt: preempts if needed */
__noreturn void cpu_idle_loop(void);
void sched_timer_reprogram(void);
void sched_wake_sleepers(uint64_t now);
uint64_t sched_next_sleeper(void);    /* earliest timed-sleep deadline, or ~0 */
/* Moves @from's timed sleepers to @to's list; returns how many. */
unsigned int sched_move_sleepers(unsigned int from, unsigned int to);
typedef void (*task_visit_fn)(struct task *t, void *arg);
void sched_for_each_task(task_visit_fn fn, void *arg);
struct task *sched_find_task(int pid);
const char *task_state_name(int state);

static inline struct task *current_task(void)
{
	extern struct task *sched_current(void);
	return sched_current();
}

/* debug lockassert: the run-queue lock assertion, asked without the lock. */
void sched_selftest_rq_unlocked(void);

/* Wakes @t if it is in @from_state (scheduler internals; kthread_park.c unparks with it). */
bool sched_try_wake(struct task *t, int from_state);

/*
 * Task references. sched_find_task() returns its task with a reference taken under the
 * task list's lock, so the task cannot be freed while the caller uses it, even if it
 * exits meanwhile; the caller drops it with task_put(). A task used after it was freed
 * is reported (task_check), as the heap poisons freed memory.
 */
void task_get(struct task *t);
void task_put(struct task *t);
/*
 * Waits until the caller's reference is the only one left: for an ended task, until
 * its CPU has switched away from it for good, so the caller's put frees it. Only for
 * references held briefly by others; never call it on oneself.
 */
void task_wait_unreferenced(struct task *t);
/* True if @t is a live task structure; else one BUG line naming @what. */
bool task_check(const struct task *t, const char *what);

#endif
