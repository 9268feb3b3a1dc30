/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Parking a per-CPU thread while its CPU goes down, and unparking it when the CPU is
 * back (kernel/kthread_park.c: kthread_park, kthread_park_self, kthread_parkme,
 * kthread_unpark, kthread_is_parked; kernel/sched.c: sched_try_wake, wake_up_task,
 * schedule; used by kernel/hotplug/up.c cpuhp_thread_fn (parks itself when it hands
 * over to TEARDOWN_CPU) and bringup_cpu (unparks), kernel/hotplug/takedown.c
 * takedown_cpu (parks it if it is not parked; unparks on a failed stop_machine),
 * kernel/hotplug/percpu_threads.c smpboot_park_threads / smpboot_unpark_threads).
 *
 * One thread bound to CPU 1; the control CPU gives it work while the CPU is up, takes
 * the CPU down by having the thread park itself after its last work (cpuhp/N) or by
 * parking it (kworker/N), maybe unparks and parks it again at once (a failed
 * take-down's retry, the thread not yet run), and brings the CPU back by unparking.
 * The scheduler: a task whose state is not RUNNING sleeps in schedule() until a
 * wake-up sets it RUNNING; wake_up_task wakes only SLEEPING, kthread_unpark only
 * PARKED.
 *
 * Checked: the thread runs work only while its CPU is online and it is not parked;
 * kthread_is_parked true means it will run nothing until unparked; every park
 * request and every piece of work is answered exactly once; no deadlock (no lost
 * wake-up). Mutations, each must give a counterexample: -DPARKED_BY_STATE
 * (kthread_is_parked looks at the state alone: right after an unpark the thread is
 * still PARKED, the retry does not park it, and it runs on), -DNO_GENERATION (a park is answered once per call of parkme, not per request: a
 * park right after an unpark, before the thread ran, is never answered), -DUNPARK_WAKES_SLEEPING
 * (kthread_unpark with wake_up_task).
 */
#define ROUNDS 3

#define RUNNING 0
#define SLEEPING 1
#define PARKED 2

byte state;                  /* the thread's t->state */
bool should_park;
byte park_gen, park_answered;
byte parked_done;            /* the completion a park request waits on */
bool want_done;              /* parked_done is set (the requester waits) */
bool work, self_park;        /* the wait queue's condition: work to do, and "then park" */
byte work_done;
bool online = true;          /* CPU 1 */
bool parked;                 /* the control CPU's view: park returned, no unpark since */

inline try_wake(from)
{
	atomic { if :: state == from -> state = RUNNING :: else -> skip fi }
}

/* Blocks until a wake-up made the thread RUNNING (returns at once if it already is). */
inline schedule()
{
	state == RUNNING
}

inline parkme()
{
	answered_here = false;
	do
	:: state = PARKED;
		if
		:: !should_park -> assert(!parked); break   /* leaves only once unparked */
		:: else -> skip
		fi;
		atomic {
#ifndef NO_GENERATION
			if
			:: park_answered != park_gen ->
				park_answered = park_gen;
				if :: want_done -> parked_done++ :: else -> skip fi
			:: else -> skip
			fi
#else
			if
			:: !answered_here ->
				answered_here = true;
				if :: want_done -> parked_done++ :: else -> skip fi
			:: else -> skip
			fi
#endif
		};
		schedule()
	od;
	state = RUNNING
}

active proctype thread()
{
	bool answered_here;      /* -DNO_GENERATION: answered in this call of parkme */
	do
	:: /* wait_event(wq, work || kthread_should_park()) */
		state = SLEEPING;
		if
		:: work || should_park -> state = RUNNING
		:: else ->
endwait:		state == RUNNING
		fi;
		if
		:: should_park -> parkme()
		:: !should_park && work ->
			assert(online && !parked);   /* never run offline, nor parked */
			work = false;
			if
			:: self_park ->              /* cpuhp/N hands over: park, then answer */
				self_park = false;
				want_done = true;
				park_gen++;
				should_park = true;
				parkme()
			:: else -> work_done++
			fi
		:: else -> skip
		fi
	od
}

inline kthread_park()
{
	want_done = true;
	park_gen++;
	should_park = true;
	try_wake(SLEEPING);
	parked_done > 0;
	parked_done--;
	want_done = false
}

inline kthread_unpark()
{
	should_park = false;
#ifndef UNPARK_WAKES_SLEEPING
	try_wake(PARKED)
#else
	try_wake(SLEEPING)
#endif
}

#ifndef PARKED_BY_STATE
#define is_parked (should_park && state == PARKED)
#else
#define is_parked (state == PARKED)
#endif

active proctype control()
{
	byte r;
	for (r : 1 .. ROUNDS) {
		/* some work while the CPU is up */
		work = true;
		try_wake(SLEEPING);
		work_done > 0;
		work_done--;
		/* down: cpuhp/N parks itself after its last step, or the thread is parked */
		if
		:: self_park = true; work = true; try_wake(SLEEPING);
			parked_done > 0; parked_done--; want_done = false
		:: kthread_park()
		fi;
		assert(is_parked);
		parked = true;
		/* a failed stop_machine: unparked, then parked again by the retry */
		if
		:: parked = false; kthread_unpark();
			if
			:: !is_parked -> kthread_park()
			:: else -> skip
			fi;
			assert(is_parked);
			parked = true
		:: skip
		fi;
		online = false;
		/* back up: bringup_cpu unparks it once the CPU reached AP_ONLINE_IDLE */
		online = true;
		parked = false;
		kthread_unpark()
	}
}
