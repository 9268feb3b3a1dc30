/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Parking per-CPU threads (Linux's kthread_park): a thread bound to a CPU that goes
 * down is parked, never run elsewhere, and unparked when the CPU comes back. A park
 * request is answered once the thread has stopped in kthread_parkme(); requests are
 * numbered so an unpark and a new park before the thread ran are told apart.
 */
#include "sched.h"
#include "percpu.h"
#include "atomic.h"

bool kthread_should_park(void)
{
	return READ_ONCE(current_task()->should_park);
}

void kthread_parkme(void)
{
	struct task *t = current_task();

	for (;;) {
		__atomic_store_n(&t->state, TASK_PARKED, __ATOMIC_SEQ_CST);
		if (!READ_ONCE(t->should_park)) {
			break;
		}
		/*
		 * Answer each park request once. A thread unparked and parked again before it
		 * ran is still in this loop: the generation tells a new request from the old.
		 */
		unsigned int gen = load_acquire(&t->park_gen);
		if (t->park_answered != gen) {
			t->park_answered = gen;
			if (t->parked_done) {
				complete(t->parked_done);
			}
		}
		schedule();
	}
	__atomic_store_n(&t->state, TASK_RUNNING, __ATOMIC_SEQ_CST);
}

void kthread_park(struct task *t)
{
	struct completion done;

	completion_init(&done);
	t->parked_done = &done;
	store_release(&t->park_gen, t->park_gen + 1);
	WRITE_ONCE(t->should_park, true);
	smp_mb();
	wake_up_task(t);
	wait_for_completion(&done);
	t->parked_done = NULL;
}

/*
 * A thread that knows it is done for now parks without anyone asking: that saves the
 * requester a wake-up round trip to the thread's CPU. @done (if not NULL) completes
 * once it is parked.
 */
void kthread_park_self(struct completion *done)
{
	struct task *t = current_task();

	t->parked_done = done;
	store_release(&t->park_gen, t->park_gen + 1);
	WRITE_ONCE(t->should_park, true);
	kthread_parkme();
}

bool kthread_is_parked(struct task *t)
{
	return READ_ONCE(t->should_park) &&
	       __atomic_load_n(&t->state, __ATOMIC_SEQ_CST) == TASK_PARKED;
}

void kthread_make_parked(struct task *t)
{
	t->percpu_thread = true;
	t->should_park = true;
	t->state = TASK_PARKED;
}

void kthread_unpark(struct task *t)
{
	WRITE_ONCE(t->should_park, false);
	smp_mb();
	sched_try_wake(t, TASK_PARKED);
}
