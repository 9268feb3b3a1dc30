/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Starting and stopping one hart through SBI HSM, as OpenSBI 1.1 does it, against the
 * kernel's entry code (arch/riscv/entry.S: _start's first-arrival guard, stray_start,
 * find_cpu, quiesce_entry, secondary_entry; kernel/secondary_boot.c secondary_main;
 * kernel/hotplug/takedown.c cpuhp_idle_dead and the wait for STOPPED in takedown_cpu;
 * kernel/hotplug/selftest.c hsm_floor_once, kernel/secondary_boot.c kick_all).
 *
 * The firmware (lib/sbi/sbi_hsm.c of v1.1): hart_start moves the hart STOPPED ->
 * START_PENDING first, then writes the opaque, then the start address. A stopped hart
 * that looks at its state meanwhile (never-started harts spin; a stray interrupt wakes
 * any other) leaves with the opaque and the address of its previous start, or a new
 * opaque with the old address. The hart's first start ever leaves from the kernel's
 * _start with the boot DTB as opaque. -DFIXED_ORDER writes both before the state (v1.3).
 *
 * The kernel's uses of one hart of its CPU table: at boot it is prekicked (wanted,
 * into secondary_entry) or, beyond maxcpus, started into quiesce_entry to stop; then
 * in each round, online: taken down (it reports dead, then calls hart_stop);
 * offline: brought up again, or started into the stop stub by the bench's HSM floor.
 * A second hart outside the table is quiesced at boot.
 *
 * Checked: a secondary never runs kmain; secondary_main always runs on its own hart's
 * struct cpu; a hart stops itself only when nobody waits for it; the DEAD steps never
 * start before the hart is STOPPED, so every hart_start finds it STOPPED; no deadlock
 * (every start the kernel waits for ends as it wants). Mutations, each must give a
 * counterexample: -DNO_FIRST_ARRIVAL_GUARD (_start boots whoever arrives),
 * -DNO_QUIESCE_REDIRECT (the stop stub stops a hart its bring-up waits for),
 * -DTRUST_OPAQUE (secondary_entry takes its struct cpu from the opaque),
 * -DASK_ONCE (Linux's "report dead, then ask HSM once").
 */
#define ROUNDS 3

/* firmware states */
#define STOPPED 0
#define START_PENDING 1
#define STARTED 2
#define STOP_PENDING 3
/* start addresses */
#define E_START 0
#define E_SECONDARY 1
#define E_QUIESCE 2
/* opaques: the boot DTB, 0 (quiesce), the hart's own struct cpu */
#define O_DTB 0
#define O_ZERO 1
#define O_CPU 2
/* the kernel's boot handshake, reduced: wanted = HELD or STARTING */
#define B_NONE 0
#define B_WANTED 1
#define B_CLAIMED 2
#define B_ARRIVED 3

/* index 0: the hart of CPU 1; index 1: a hart not in the CPU table */
byte fw[2];                     /* all STOPPED */
byte next_addr[2];              /* E_START: the firmware's boot address */
byte next_arg[2];               /* O_DTB */
byte boot;                      /* CPU 1's boot_state */
bool die;                       /* CPU 1 told to go down (take_cpu_down ran) */
bool dead_reported;             /* cpuhp_report_idle_dead */
byte kmain_secondaries;

inline hart_start(h, a, o)
{
	assert(fw[h] == STOPPED);    /* else ALREADY_AVAILABLE or INVALID_PARAM */
#ifdef FIXED_ORDER
	next_arg[h] = o;
	next_addr[h] = a;
	fw[h] = START_PENDING;
#else
	fw[h] = START_PENDING;
	next_arg[h] = o;
	next_addr[h] = a;
#endif
}

active proctype control()
{
	byte r = 0;
	bool online;

	run hart(0);
	run hart(1);
	hart_start(1, E_QUIESCE, O_ZERO);   /* kick_all: a hart the kernel does not use */
	if
	:: boot = B_WANTED; hart_start(0, E_SECONDARY, O_CPU);   /* prekick */
		boot == B_ARRIVED; boot = B_NONE; online = true
	:: hart_start(0, E_QUIESCE, O_ZERO);                     /* beyond maxcpus */
		fw[0] == STOPPED; online = false
	fi;
	do
	:: r < ROUNDS && online ->
		die = true;                 /* take_cpu_down */
		dead_reported;              /* takedown_cpu: the dying CPU reported */
		dead_reported = false;
#ifdef ASK_ONCE
		if
		:: fw[0] == STOPPED
		:: else -> skip             /* "may not have stopped" */
		fi;
#else
		fw[0] == STOPPED;           /* poll hart_get_status until STOPPED */
#endif
		assert(fw[0] == STOPPED);   /* the DEAD steps start */
		online = false;
		r++
	:: r < ROUNDS && !online ->
		if
		:: boot = B_WANTED; hart_start(0, E_SECONDARY, O_CPU);   /* bringup_cpu */
			boot == B_ARRIVED; boot = B_NONE; online = true
		:: hart_start(0, E_QUIESCE, O_ZERO);                     /* hsm_floor_once */
			fw[0] == STOPPED
		fi;
		r++
	:: r == ROUNDS -> break
	od;
	fw[1] == STOPPED
}

proctype hart(byte h)
{
	byte addr, arg, cpu;
	/* cpu: the struct cpu in use: O_CPU if it is this hart's, else garbage */
endfw:
	atomic { fw[h] == START_PENDING -> arg = next_arg[h] };
	addr = next_addr[h];
	fw[h] = STARTED;
	if
	:: addr == E_START -> goto start
	:: addr == E_QUIESCE -> goto quiesce
	:: addr == E_SECONDARY -> cpu = arg; goto secondary
	fi;
start:
#ifndef NO_FIRST_ARRIVAL_GUARD
	/* boot_claimed is taken by the boot hart: a stray */
	if
	:: h == 0 -> cpu = O_CPU; goto secondary_found   /* find_cpu */
	:: else -> goto stop
	fi;
#else
	kmain_secondaries++;
	assert(kmain_secondaries == 0);    /* a second kmain: the boot is wrecked */
	goto stop;
#endif
quiesce:
	if
	:: h != 0 -> goto stop                          /* find_cpu: not a CPU */
	:: else -> skip
	fi;
#ifndef NO_QUIESCE_REDIRECT
	if
	:: boot == B_WANTED -> cpu = O_CPU; goto secondary_found
	:: else -> goto stop
	fi;
#else
	goto stop;
#endif
secondary:
#ifndef TRUST_OPAQUE
	if
	:: h == 0 -> cpu = O_CPU                        /* find_cpu by hart id */
	:: else -> goto stop
	fi;
#endif
secondary_found:
	assert(cpu == O_CPU);          /* secondary_main on its own struct cpu */
	/* cpu_boot_claim */
	if
	:: atomic { boot == B_WANTED -> boot = B_CLAIMED }
	:: atomic { boot != B_WANTED -> goto stop }
	fi;
	boot = B_ARRIVED;
	/* online, until taken down: cpuhp_idle_dead reports, then stops the hart */
endonline:
	die;
	die = false;
	dead_reported = true;
	fw[h] = STOP_PENDING;
	fw[h] = STOPPED;
	goto endfw;
stop:
	assert(boot != B_WANTED || h != 0);   /* nobody waits for this hart */
	fw[h] = STOP_PENDING;
	fw[h] = STOPPED;
	goto endfw
}
