/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * IPC's hand-off of a reply (kernel/ipc.c, kernel/ipc_internal.h, kernel/ipc_fast.c):
 * a caller makes two calls on one endpoint with two server threads on it, and may
 * leave each call by a timeout or a kill while its reply is on its way; a server that
 * took a call may answer it late (after the caller left and called again, and another
 * server took the new call) or end holding it (-EPIPE). The caller's wait is the
 * scheduler's: it marks itself SLEEPING, may be preempted before it sleeps, and a
 * CPU going down may then push it to another CPU's queue (migrating in between);
 * the server's wake-up finds it through lock_task_rq().
 *
 * The rules modelled: a caller awaits one call by its number (awaiting_reply); a
 * server claims the reply with a compare-and-exchange from the number of the call it
 * took (claim_reply) and only then stores the words, then the status, then wakes;
 * the caller that leaves exchanges awaiting_reply with 0 and, if it finds 0, waits for
 * the reply that won instead. A wake-up locks the queue the task names, and waits
 * while the task is migrating (it belongs to no queue then).
 *
 * Checked: every call ends exactly once, with its own words when it ends with a
 * reply; a task is never on two queues; nobody waits for ever. Mutations (each must
 * give a counterexample): -DNO_SEQ_CHECK (the claim takes any call being awaited:
 * a late reply lands in the next call), -DWAKE_BEFORE_WORDS (the status before the
 * words: the caller reads the words of the call before), -DNO_MIGRATING_CHECK (the
 * wake-up does not wait for a migration: the task is queued twice).
 */
#define CALLS 2
#define PENDING 0
#define DONE 1
#define EPIPE 2

byte awaiting;          /* the caller's awaiting_reply: the call it waits for, 0 none */
byte status = PENDING;  /* the caller's ipc.status */
byte words;             /* the caller's ipc.msg: the number of the call it answers */
byte ended[CALLS + 1];  /* how often each call ended */
chan offered = [1] of { byte };   /* the endpoint's queue of one sender */

/* The caller's scheduling: its state, its queue, a move between queues. */
#define RUNNING 0
#define SLEEPING 1
byte state = RUNNING;
byte cpu = 0;           /* the queue it belongs to */
bool on_cpu = true, on_rq, migrating;
byte queued;            /* how many queues hold it (at most one) */
bit rq_lock[2];

inline lock(l) { atomic { l == 0 -> l = 1 } }
inline unlock(l) { l = 0 }

inline enqueue()
{
	assert(!on_rq && queued == 0);
	on_rq = true;
	queued++
}

/* sched_try_wake(caller, SLEEPING) */
inline wake()
{
	byte c;
	do
	:: c = cpu; lock(rq_lock[c]);
#ifdef NO_MIGRATING_CHECK
		if
		:: cpu == c -> break
		:: else -> unlock(rq_lock[c])
		fi
#else
		if
		:: cpu == c && !migrating -> break
		:: else -> unlock(rq_lock[c])
		fi
#endif
	od;
	if
	:: state == SLEEPING -> state = RUNNING;
		if
		:: !on_cpu && !on_rq -> enqueue()
		:: else -> skip      /* running, or queued (preempted before it slept) */
		fi
	:: else -> skip
	fi;
	unlock(rq_lock[c])
}

/* A server thread: takes a call, answers it (maybe late) or ends holding it. */
proctype server()
{
	byte seq;
	bool won;
end:	do
	:: offered ? seq ->
		atomic { awaiting = seq; status = PENDING }  /* await_reply, under the endpoint's lock */
		/* ... the server works; the caller may leave meanwhile ... */
#ifdef NO_SEQ_CHECK
		atomic { if :: awaiting != 0 -> awaiting = 0; won = true :: else -> won = false fi }
#else
		atomic { if :: awaiting == seq -> awaiting = 0; won = true :: else -> won = false fi }
#endif
		if
		:: won ->
			if
			:: true ->
#ifdef WAKE_BEFORE_WORDS
				status = DONE; words = seq
#else
				words = seq; status = DONE
#endif
			:: true -> status = EPIPE       /* it ends holding the call */
			fi;
			wake()
		:: else -> skip                         /* the caller left: the reply is dropped */
		fi
	od
}

/* A CPU going down pushes a queued task to the other queue (push_tasks, place_task). */
active proctype hotplug()
{
	lock(rq_lock[0]);
	if
	:: cpu == 0 && on_rq -> on_rq = false; queued--; migrating = true; unlock(rq_lock[0]);
		lock(rq_lock[1]); cpu = 1; enqueue(); migrating = false; unlock(rq_lock[1])
	:: else -> unlock(rq_lock[0])
	fi
}

/* Picked by its queue's CPU, under that queue's lock: it runs again. */
inline picked()
{
	atomic { rq_lock[cpu] == 0 && on_rq && !migrating -> on_rq = false; queued--; on_cpu = true }
}

active proctype caller()
{
	byte k, old;
	bool left;
	run server();
	run server();
	for (k : 1 .. CALLS) {
		left = false;
		offered ! k;
		do
		:: state = SLEEPING;
			if
			:: status != PENDING -> state = RUNNING; break    /* stored after the claim */
			:: else -> skip
			fi;
			if
			:: !left ->             /* a timeout or a kill: leave the call */
				state = RUNNING;
				atomic { old = awaiting; awaiting = 0 };
				left = true;
				if
				:: old == k -> ended[k]++; goto next
				:: else -> skip     /* it was claimed: the reply is on its way */
				fi
			:: true ->              /* preempted before it slept: back on its queue */
				lock(rq_lock[cpu]); enqueue(); on_cpu = false; unlock(rq_lock[cpu]);
				picked()
			:: true ->              /* schedule(): sleeps unless woken meanwhile */
				lock(rq_lock[cpu]);
				if
				:: state == SLEEPING -> on_cpu = false; unlock(rq_lock[cpu]); picked()
				:: else -> unlock(rq_lock[cpu])
				fi
			fi
		od;
		/* ended by its reply or by the server's end */
		if
		:: status == DONE -> assert(words == k)
		:: else -> assert(status == EPIPE)
		fi;
		ended[k]++;
next:		assert(ended[k] == 1);
		status = PENDING
	}
}
