/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Cross-calls against a CPU being taken down (kernel/smp.c: smp_call_function_many,
 * queue_call, flush_queue; kernel/stop_machine.c: multi_cpu_stop's stages;
 * kernel/hotplug/takedown.c: take_cpu_down). CPU S sends calls to CPU O while O goes
 * down through stop_machine; O's IPI handler runs its queue while interrupts are on.
 *
 * The sender's rule: preemption off across "is O online?" and queueing the call, so
 * S's stopper (and so stop_machine's RUN stage) cannot come in between. take_cpu_down
 * clears O's online bit under O's queue lock and then runs what was queued (the
 * dying flush, smpcfd:dying).
 *
 * Checked: a CPU the sender saw online is still online when the call is queued; no
 * call is run by O while it is not online outside the dying flush; no call is left
 * queued when O is dead; no deadlock. Mutations, each must give a counterexample:
 * -DNO_SENDER_RULE (the sender preemptible between check and queue: the soak's
 * "offline IPIs" before issue 10), -DNO_DYING_FLUSH (O dies with calls queued).
 */
#define SENDS 2

bool online_O = true;
bool lock_O;            /* O's call_lock */
byte queued;            /* calls on O's queue */
bool ipi_O;             /* a software interrupt pending at O */
bool irqs_O = true;     /* O's interrupts enabled */
bool s_in_cs;           /* S has preemption off (inside a send) */
bool s_stopper_in;      /* S's stopper has taken S: the sender cannot run */
byte stage;             /* 0 none, 1 prepare, 2 irqs off (others), 3 irqs off (O), 4 run, 5 exit */
byte acks;
bool dead_O;
byte sent_done;

inline ack()
{
	d_step {
		acks++;
		if
		:: acks == 2 -> acks = 0; stage++
		:: else -> skip
		fi
	}
}

active proctype sender()
{
	byte k = 0;
	do
	:: k < SENDS ->
		/* The sender runs only while S's stopper does not. */
		atomic {
			!s_stopper_in ->
#ifndef NO_SENDER_RULE
			s_in_cs = true
#else
			skip
#endif
		};
		if
		:: online_O ->
			atomic { !lock_O -> lock_O = true };
			assert(online_O);          /* seen online: still online now */
			queued++;
			ipi_O = true;
			lock_O = false
		:: else -> skip                /* not online: skipped, no warning */
		fi;
		s_in_cs = false;
		k++
	:: else -> break
	od;
	sent_done = 1
}

/* stop_machine on S: its stopper needs S, so it waits until the sender is out. */
active proctype stopper_S()
{
	atomic { !s_in_cs -> s_stopper_in = true; stage = (stage == 0 -> 1 : stage) };
	stage == 1; ack();
	stage == 2; ack();                  /* S's interrupts off */
	stage == 3; ack();
	stage == 4; ack();
	stage == 5;
	s_stopper_in = false
}

/* O's stopper: the active CPU, running take_cpu_down in the RUN stage. */
active proctype stopper_O()
{
	stage >= 1;
	stage == 1; ack();
	stage == 2; ack();
	stage == 3; irqs_O = false; ack();  /* the outgoing CPU's interrupts go off last */
	stage == 4;
	atomic { !lock_O -> lock_O = true };
	online_O = false;
	lock_O = false;
#ifndef NO_DYING_FLUSH
	queued = 0;                         /* smpcfd:dying runs what was queued */
#endif
	ipi_O = false;
	ack();
	stage == 5;
	dead_O = true
}

/* O's IPI handler, while its interrupts are on. */
active proctype ipi_handler_O()
{
	do
	:: atomic { irqs_O && ipi_O -> ipi_O = false;
		assert(online_O);               /* a call run offline: Linux's warning */
		queued = 0 }
	:: dead_O -> break
	od
}

/* At the end: O is dead with nothing left on its queue. */
active proctype observer()
{
	dead_O && sent_done == 1;
	assert(queued == 0)
}
