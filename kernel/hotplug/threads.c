/*
 * Per-CPU threads (Linux's smpboot): each is created once, bound to its CPU and parked
 * while the CPU is down; bound threads never run anywhere else. cpuhp/N and the
 * stopper are unparked by the control CPU at AP_ONLINE_IDLE; the others follow the
 * smpboot/threads:online state.
 */
#include <stdio.h>
#include "internal.h"
#include "cpuhp_callbacks.h"
#include "stop_machine.h"
#include "workqueue.h"
#include "percpu.h"
#include "err.h"

void cpuhp_thread_fn(void *arg);

static struct task *create_parked(void (*fn)(void *), unsigned int cpu, const char *fmt)
{
	char name[TASK_NAME_LEN];

	snprintf(name, sizeof(name), fmt, cpu);
	struct task *t = kthread_create(fn, (void *)(uintptr_t)cpu, name);
	if (t) {
		kthread_bind(t, cpu);
		kthread_make_parked(t);
	}
	return t;
}

int smpboot_create_threads(unsigned int cpu)
{
	struct cpuhp_cpu_state *st = &cpuhp_state[cpu];

	if (!st->thread && !(st->thread = create_parked(cpuhp_thread_fn, cpu, "cpuhp/%u"))) {
		return -ENOMEM;
	}
	/* Like Linux's SCHED_FIFO cpuhp threads: a busy CPU must not delay its hotplug. */
	st->thread->urgent = true;
	if (!stop_machine_thread(cpu) &&
	    !stop_machine_set_thread(cpu, create_parked(stopper_thread_fn, cpu, "migration/%u"))) {
		return -ENOMEM;
	}
	if (!workqueue_thread(cpu) &&
	    !workqueue_set_thread(cpu, create_parked(worker_thread_fn, cpu, "kworker/%u"))) {
		return -ENOMEM;
	}
	return 0;
}

int smpboot_unpark_threads(unsigned int cpu)
{
	kthread_unpark(workqueue_thread(cpu));
	return 0;
}

int smpboot_park_threads(unsigned int cpu)
{
	kthread_park(workqueue_thread(cpu));
	return 0;
}
