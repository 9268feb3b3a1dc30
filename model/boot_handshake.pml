/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The boot handshake between the control CPU and a hart started ahead of its
 * bring-up (kernel/boot_handshake.c: cpu_boot_prekick, cpu_boot_release,
 * cpu_boot_abandon, cpu_boot_claim, cpu_boot_wait_release, cpu_boot_arrived; called
 * from kernel/hotplug/up.c bringup_cpu and kernel/secondary_boot.c secondary_main).
 *
 * The firmware: the hart is START_PENDING until it runs kernel code; newer OpenSBI
 * refuses an IPI to a hart that is not STARTED, older drops it, and any IPI may be
 * lost (sbi.ipi=lossy). The hart halts in cpu_boot_wait_release until an IPI or its
 * bounded timer. The control CPU may time out whenever the hart has not claimed its
 * place.
 *
 * Checked: no IPI is sent to a hart that is not STARTED; a hart stops itself only
 * when nobody waits for it; the control CPU gives up only on a hart that never
 * claimed its place; released and not given up, the hart arrives (no deadlock).
 * Mutations, each must give a counterexample: -DOLD_RELEASE (the release sends its
 * IPI whatever the hart's state: issue 10's IPI to a START_PENDING hart),
 * -DNO_RECHECK (the halted hart waits for the IPI alone), -DNO_CLAIM_RETRY (the claim
 * looks at STARTING and HELD once each and loses to a release in between).
 */
#define NONE 0
#define HELD 1
#define STARTING 2
#define CLAIMED_HELD 3
#define CLAIMED 4
#define ARRIVED 5
#define ABANDONED 7

byte hs = NONE;
bool hart_started;      /* HSM: STARTED once the hart runs kernel code */
bool ipi;               /* a software interrupt pending at the hart */
bool gave_up, claimed;

inline send_ipi()
{
	assert(hart_started);        /* never an IPI to a hart that is not STARTED */
	if
	:: ipi = true
	:: skip                      /* lost by the firmware */
	fi
}

active proctype control()
{
	hs = HELD;                   /* prekick: hart_start issued */
	run hart();
#ifdef OLD_RELEASE
	send_ipi();                  /* told to go, whatever state the hart is in */
#endif
	atomic {
		if
		:: hs == HELD -> hs = STARTING
		:: hs == CLAIMED_HELD -> hs = CLAIMED
		fi
	};
	if
	:: hs == CLAIMED -> send_ipi()
	:: else -> skip
	fi;
	/* Wait for the arrival; a time-out gives up only a hart not yet claimed. */
	if
	:: hs == ARRIVED
	:: atomic { hs == STARTING -> hs = ABANDONED; gave_up = true }
	fi;
	if
	:: gave_up -> assert(!claimed)
	:: else -> hs == ARRIVED
	fi
}

proctype hart()
{
	hart_started = true;         /* the firmware switches to S-mode: STARTED */
	/* cpu_boot_claim */
#ifdef NO_CLAIM_RETRY
	if
	:: atomic { hs == STARTING -> hs = CLAIMED; claimed = true }
	:: atomic { hs != STARTING -> skip };
		if
		:: atomic { hs == HELD -> hs = CLAIMED_HELD; claimed = true }
		:: atomic { hs != HELD -> assert(hs != STARTING && hs != HELD); goto out }
		fi
	fi;
#else
	do
	:: atomic { hs == STARTING -> hs = CLAIMED; claimed = true; break }
	:: atomic { hs == HELD -> hs = CLAIMED_HELD; claimed = true; break }
	:: atomic { hs != STARTING && hs != HELD ->
		assert(hs != STARTING && hs != HELD);   /* nobody waits: stop */
		goto out }
	od;
#endif
	/* cpu_boot_wait_release: halted until an IPI or the bounded timer */
	do
	:: hs == CLAIMED_HELD ->
		if
		:: atomic { ipi -> ipi = false }
#ifndef NO_RECHECK
		:: skip                  /* the 10 ms timer: look again */
#endif
		fi
	:: hs != CLAIMED_HELD -> break
	od;
	assert(hs == CLAIMED);
	hs = ARRIVED;                /* cpu_boot_arrived */
out:
	skip
}
