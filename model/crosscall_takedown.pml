/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Cross-calls against a CPU being taken down by stop_machine on three CPUs
 * (kernel/smp.c: smp_call_function_many, queue_call, flush_queue;
 * kernel/stop_machine.c: stop_machine_cpuslocked, multi_cpu_stop, ack_state;
 * kernel/hotplug/takedown.c: take_cpu_down, cpuhp_idle_dead). CPU 0 goes down; CPUs
 * 1 and 2 each send one call from a task (preemption off across "is CPU 0 online?"
 * and queueing: the sender rule) and one from an interrupt handler (a timer's, while
 * that CPU's interrupts are on). CPU 0's IPI handler runs its queue while its
 * interrupts are on, also after stop_machine gave them back and before the idle task
 * reaches cpuhp_idle_dead.
 *
 * stop_machine: every stopper acknowledges each stage, the last acknowledgement moves
 * all on (PREPARE, DISABLE_IRQ_INACTIVE, DISABLE_IRQ_ACTIVE, RUN, EXIT). A stopper takes
 * its CPU only when that CPU's task is out of its send. In RUN, take_cpu_down clears
 * CPU 0's online bit under its queue lock and runs what is queued (smpcfd:dying).
 *
 * Checked: a CPU the sender saw online is still online when the call is queued; no
 * call is queued for, nor IPI sent to, the outgoing CPU after its interrupts went off
 * (the 2014 guarantee); no call is run by CPU 0 while it is not online outside the
 * dying flush (Linux's "IPI on offline CPU"); nothing is left queued when it is dead;
 * no deadlock. Mutations, each must give a counterexample: -DNO_SENDER_RULE (the sender
 * preemptible between check and queue: the soak's "offline IPIs" before issue 10),
 * -DNO_DYING_FLUSH (CPU 0 dies with calls queued), -DIRQ_ORDER_2014 (one DISABLE_IRQ
 * stage, in which the outgoing CPU may go first: stop_machine before 2014), and both of
 * the last two together (a call run by the offline CPU).
 */
#define NCPU 3
#define SENDERS 2

bool online_O = true;        /* read and written under CPU 0's call_lock: atomic here */
byte queued;                 /* calls on CPU 0's queue */
bool ipi_O;                  /* a software interrupt pending at CPU 0 */
bool irqs[NCPU] = true;      /* interrupts enabled */
bool in_cs[NCPU];            /* the CPU's task is inside a send (preemption off) */
bool in_irq[NCPU];           /* the CPU is in its interrupt handler */
bool stopper_in[NCPU];       /* the CPU's stopper has taken it */
byte stage = 1;              /* set to PREPARE before the stoppers are woken */
byte acks;
bool dead_O;
byte sent;                   /* sends finished, of 2 * SENDERS */
bool ran_offline;            /* CPU 0 ran a call while not online: "IPI on offline CPU" */

#define DISABLE_IRQ_INACTIVE 2
#define DISABLE_IRQ_ACTIVE 3
#define RUN 4
#define EXIT 5

/* queue_call: under the lock, with interrupts off; refused if not online. */
inline queue_call()
{
	atomic {
		if
		:: online_O ->
			assert(irqs[0]);     /* never a call for a CPU that stopped taking interrupts */
			queued++;
			ipi_O = true
		:: else -> skip          /* not online: refused, counted as a race */
		fi
	}
}

inline ack()
{
	d_step {
		acks++;
		if
		:: acks == NCPU -> acks = 0; stage++
		:: else -> skip
		fi
	}
}

/*
 * A task on CPU c that calls CPU 0 (smp_call_function_many's check, then queue_call).
 * It runs only while its CPU's stopper does not (and not inside the interrupt).
 */
proctype sender(byte c)
{
	bool seen;
	atomic {
		!stopper_in[c] && !in_irq[c] ->
#ifndef NO_SENDER_RULE
		in_cs[c] = true;
#endif
		seen = online_O
	};
	atomic {
		!stopper_in[c] && !in_irq[c] ->
		if
		:: seen ->
			assert(online_O);    /* seen online: still online when queued */
			queue_call()
		:: else -> skip          /* not online: skipped, no warning */
		fi
	};
	in_cs[c] = false;
	sent++
}

/* CPU c's timer interrupt, whose handler calls CPU 0. It waits while interrupts are off. */
proctype irq_sender(byte c)
{
	atomic { irqs[c] -> in_irq[c] = true };
	if
	:: online_O -> queue_call()
	:: else -> skip
	fi;
	in_irq[c] = false;
	sent++
}

proctype stopper(byte c)
{
	atomic { !in_cs[c] -> stopper_in[c] = true };
	stage == 1; ack();
	stage == DISABLE_IRQ_INACTIVE;
#ifdef IRQ_ORDER_2014
	atomic { !in_irq[c] -> irqs[c] = false };   /* everyone in the one stage */
#else
	atomic { !in_irq[c] -> if :: c != 0 -> irqs[c] = false :: else -> skip fi };
#endif
	ack();
	stage == DISABLE_IRQ_ACTIVE;
#ifndef IRQ_ORDER_2014
	atomic { !in_irq[c] -> if :: c == 0 -> irqs[c] = false :: else -> skip fi };
#endif
	ack();
	stage == RUN;
	if
	:: c == 0 ->                 /* take_cpu_down */
		online_O = false;
#ifndef NO_DYING_FLUSH
		queued = 0               /* smpcfd:dying runs what was queued */
#else
		skip
#endif
	:: else -> skip
	fi;
	ack();
	stage == EXIT;
	irqs[c] = true;              /* multi_cpu_stop gives the interrupts back */
	stopper_in[c] = false;
	if
	:: c == 0 ->                 /* the idle task: cpuhp_idle_dead, interrupts off */
		atomic { !in_irq[0] -> irqs[0] = false; dead_O = true }
	:: else -> skip
	fi
}

/* CPU 0's IPI handler, while its interrupts are on. */
active proctype ipi_handler_O()
{
	do
	:: atomic { irqs[0] && ipi_O && !dead_O -> in_irq[0] = true; ipi_O = false;
		if
		:: queued > 0 -> ran_offline = !online_O; assert(!ran_offline); queued = 0
		:: else -> skip
		fi;
		in_irq[0] = false }
	:: dead_O -> break
	od
}

init
{
	atomic {
		run stopper(0); run stopper(1); run stopper(2);
		run sender(1); run sender(2);
		run irq_sender(1); run irq_sender(2)
	}
	/* At the end: CPU 0 is dead with nothing left on its queue. */
	dead_O && sent == 2 * SENDERS;
	assert(queued == 0)
}
