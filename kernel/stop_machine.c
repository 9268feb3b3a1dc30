/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * stop_machine on per-CPU stopper threads. The stoppers are urgent tasks: queued ahead
 * of everything, so a busy CPU gives its stopper the CPU at the next interrupt.
 * While a stage is in progress each stopper halts between looks (arch_wait_brief):
 * under single-threaded TCG a spinning stopper would keep the others from arriving.
 */
#include "stop_machine.h"
#include "sched.h"
#include "mutex.h"
#include "percpu.h"
#include "cpuhp.h"
#include "log.h"
#include "atomic.h"
#include "smp.h"

enum multi_stop_state {
	MULTI_STOP_NONE,
	MULTI_STOP_PREPARE,
	MULTI_STOP_DISABLE_IRQ_INACTIVE,
	MULTI_STOP_DISABLE_IRQ_ACTIVE,
	MULTI_STOP_RUN,
	MULTI_STOP_EXIT,
};

struct multi_stop {
	int (*fn)(void *);
	void *data;
	const struct cpumask *active;
	int state;
	int thread_ack;          /* stoppers yet to acknowledge the current stage */
	int num_threads;
	int running;             /* stoppers still inside (the caller looks until none) */
	int ret;
};

struct stopper {
	struct task *thread;
	struct wait_queue wq;
	struct multi_stop *work;     /* at most one: stop_machine is serialized */
	bool park_after;
};

static struct stopper stoppers[NR_CPUS];
static struct mutex stop_lock = MUTEX_INIT(stop_lock);
unsigned long stop_machine_runs;

struct task *stop_machine_thread(unsigned int cpu)
{
	return stoppers[cpu].thread;
}

struct task *stop_machine_set_thread(unsigned int cpu, struct task *t)
{
	wait_queue_init(&stoppers[cpu].wq);
	if (t) {
		t->urgent = true;
	}
	stoppers[cpu].thread = t;
	return t;
}

void stop_machine_unpark(unsigned int cpu)
{
	stoppers[cpu].park_after = false;
	kthread_unpark(stoppers[cpu].thread);
}

void stop_machine_park_self(void)
{
	stoppers[this_cpu_id()].park_after = true;
}

/* How long a stopper or the caller halts between looks: about a quarter microsecond. */
static uint64_t look_ticks(void)
{
	return log_timebase() / 4000000 + 1;
}

static void set_state(struct multi_stop *ms, int state)
{
	/* Reset the count before the new stage is visible, so no ack is lost. */
	__atomic_store_n(&ms->thread_ack, ms->num_threads, __ATOMIC_SEQ_CST);
	__atomic_store_n(&ms->state, state, __ATOMIC_SEQ_CST);
}

static void ack_state(struct multi_stop *ms)
{
	if (__atomic_sub_fetch(&ms->thread_ack, 1, __ATOMIC_SEQ_CST) == 0) {
		set_state(ms, ms->state + 1);
	}
}

/* Every participating stopper runs this, in lock-step through the stages. */
static void multi_cpu_stop(struct multi_stop *ms)
{
	unsigned int self = this_cpu_id();
	bool is_active = cpumask_test(ms->active, self);
	int cur = MULTI_STOP_NONE;
	bool irqs_were_on = arch_irqs_enabled();
	/* A stage is a handful of instructions on each CPU. */
	uint64_t poll = look_ticks();

	do {
		int next = __atomic_load_n(&ms->state, __ATOMIC_SEQ_CST);
		if (next == cur) {
			arch_wait_brief(poll);
			continue;
		}
		cur = next;
		switch (cur) {
		case MULTI_STOP_DISABLE_IRQ_INACTIVE:
			if (!is_active) {
				arch_irq_disable();
			}
			break;
		case MULTI_STOP_DISABLE_IRQ_ACTIVE:
			if (is_active) {
				arch_irq_disable();
			}
			break;
		case MULTI_STOP_RUN:
			if (is_active) {
				int ret = ms->fn(ms->data);
				if (ret) {
					ms->ret = ret;
				}
			}
			break;
		default:
			break;
		}
		ack_state(ms);
	} while (cur != MULTI_STOP_EXIT);
	if (irqs_were_on) {
		arch_irq_enable();
	}
}

void stopper_thread_fn(void *arg)
{
	struct stopper *s = &stoppers[(uintptr_t)arg];

	for (;;) {
		wait_event(&s->wq, READ_ONCE(s->work) != NULL || kthread_should_park());
		struct multi_stop *ms = READ_ONCE(s->work);
		if (ms) {
			WRITE_ONCE(s->work, NULL);
			multi_cpu_stop(ms);
			/* The last touch of @ms, which lives on the caller's stack. */
			__atomic_sub_fetch(&ms->running, 1, __ATOMIC_RELEASE);
		}
		if (s->park_after) {
			/* Its CPU is going down: park for real, so it is seen parked while offline. */
			s->park_after = false;
			kthread_park_self(NULL);
		} else if (kthread_should_park()) {
			kthread_parkme();
		}
	}
}

int stop_machine_cpuslocked(int (*fn)(void *), void *data, const struct cpumask *cpus)
{
	struct multi_stop ms = { .fn = fn, .data = data, .active = cpus };
	struct cpumask participants = cpu_online_mask;
	unsigned int cpu;

	mutex_lock(&stop_lock);
	ms.num_threads = (int)cpumask_weight(&participants);
	ms.running = ms.num_threads;
	set_state(&ms, MULTI_STOP_PREPARE);
	/*
	 * Where @fn does not run on our own CPU, we take its part ourselves with preemption
	 * off, as its stopper would: nothing else runs here meanwhile, and the stopper's
	 * wake-up and the two switches to it and back are saved. Where @fn does run here
	 * (the outgoing CPU parks its stopper after it), the stopper takes it: it preempts
	 * us as soon as it is woken and then waits for the others, so every stopper must
	 * be queued before any of them runs.
	 */
	preempt_disable();
	unsigned int self = this_cpu_id();
	bool inline_self = !cpumask_test(cpus, self);
	struct cpumask woken;
	unsigned long flags = smp_ipi_batch_begin(&woken);
	for_each_cpu(cpu, &participants) {
		if (cpu == self && inline_self) {
			continue;
		}
		WRITE_ONCE(stoppers[cpu].work, &ms);
		wake_up_all(&stoppers[cpu].wq);
	}
	smp_ipi_batch_end(&woken, flags);
	if (inline_self) {
		multi_cpu_stop(&ms);
		__atomic_sub_fetch(&ms.running, 1, __ATOMIC_RELEASE);
	}
	preempt_enable();           /* else our own stopper takes its part here */
	/*
	 * Every stopper acknowledged the last stage before ours left it: the others are a
	 * few instructions from leaving. Looking for that, halting between looks, needs no
	 * wake-up from the last one out, which was a cross-CPU IPI whenever it was not our
	 * own CPU's part.
	 */
	while (__atomic_load_n(&ms.running, __ATOMIC_ACQUIRE) != 0) {
		arch_wait_brief(look_ticks());
	}
	stop_machine_runs++;
	mutex_unlock(&stop_lock);
	return ms.ret;
}

int stop_machine(int (*fn)(void *), void *data, const struct cpumask *cpus)
{
	/* The set of online CPUs must not change under us. */
	cpu_hotplug_disable();
	int ret = stop_machine_cpuslocked(fn, data, cpus);
	cpu_hotplug_enable();
	return ret;
}
