/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A timed sleeper's list node (kernel/sleep.c: schedule_until, sched_wake_sleepers,
 * sched_move_sleepers). A task sleeps with its node on its CPU's sleepers list, under
 * that CPU's rq_lock; whoever wakes it first (the CPU's tick, or a partner: an IPC
 * reply, a signal) lets it run, and it takes its node off whatever list sleep_cpu
 * names, under that list's lock, then may sleep again at once. CPU A dies (its tick
 * stops first) and its DEAD step moves A's sleepers to CPU B.
 *
 * Checked: the node is only ever touched under the lock of the list it is on (a node
 * found on no locked list by its owner, or changed by the tick or the move after they
 * let go of the lock, is an assertion), and nobody waits for ever. Mutations, each
 * must give a counterexample, both the code before the fix that the soak hung on:
 * -DPRIVATE_TICK (the tick moves due nodes to a private list and takes them off it
 * after unlocking), -DPRIVATE_MOVE (the move holds A's lock, then B's, with the nodes
 * on a private list in between).
 */
#define ROUNDS 2
#define NONE 0
#define ON_A 1
#define ON_B 2
#define PRIV 3          /* a private list of the tick or the move: no lock guards it */

byte where = NONE;      /* which list the node is on */
byte sleep_cpu = 1;     /* 1: A, 2: B: whose lock guards it */
bit lock_a, lock_b;
bool running = true;    /* the task's state: false while it sleeps */
bool tick_done, dead;

inline lock(l) { atomic { l == 0 -> l = 1 } }
inline unlock(l) { l = 0 }

/* Takes its node off the list sleep_cpu names, once the lock is held and sleep_cpu holds. */
inline leave(l, cpu, list)
{
	lock(l);
	if
	:: sleep_cpu == cpu ->
		if
		:: where != NONE -> assert(where == list); where = NONE
		:: else -> skip
		fi;
		unlock(l);
		break
	:: else -> unlock(l)
	fi
}

active proctype task()
{
	byte r;
	for (r : 1 .. ROUNDS) {
		/* schedule_until: on its own CPU's list (B once A is dead) */
		if
		:: !dead -> lock(lock_a); assert(where == NONE); where = ON_A; sleep_cpu = 1;
			    running = false; unlock(lock_a)
		:: dead -> lock(lock_b); assert(where == NONE); where = ON_B; sleep_cpu = 2;
			   running = false; unlock(lock_b)
		fi;
		running;
		do
		:: sleep_cpu == 1 -> leave(lock_a, 1, ON_A)
		:: sleep_cpu == 2 -> leave(lock_b, 2, ON_B)
		od
	}
}

/* Someone else wakes it at any time it sleeps. */
active proctype partner()
{
end:	do
	:: !running -> running = true
	od
}

/* CPU A's tick, until A goes down. */
active proctype tick()
{
	do
	:: lock(lock_a);
		if
		:: where == ON_A ->
#ifdef PRIVATE_TICK
			where = PRIV;
			unlock(lock_a);
			assert(where == PRIV);   /* walking its private list, no lock held */
			where = NONE;
#else
			where = NONE;
			unlock(lock_a);
#endif
			running = true
		:: else -> unlock(lock_a)
		fi
	:: break
	od;
	tick_done = true
}

/* A's DEAD step, on the control CPU. */
active proctype move()
{
	bool moving;
	tick_done;
	dead = true;
#ifdef PRIVATE_MOVE
	lock(lock_a);
	if
	:: where == ON_A -> where = PRIV; moving = true
	:: else -> skip
	fi;
	unlock(lock_a);
	lock(lock_b);
	if
	:: moving -> assert(where == PRIV); where = ON_B; sleep_cpu = 2
	:: else -> skip
	fi;
	unlock(lock_b);
#else
	lock(lock_a);
	lock(lock_b);
	if
	:: where == ON_A -> where = ON_B; sleep_cpu = 2
	:: else -> skip
	fi;
	unlock(lock_b);
	unlock(lock_a);
#endif
}
