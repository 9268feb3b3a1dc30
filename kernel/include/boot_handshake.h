/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The boot handshake between the control CPU and a CPU that is being started: one
 * state per CPU (struct cpu's boot_state), owned by kernel/boot_handshake.c. It is
 * moved only there, by compare-and-swap, so two sides racing (a start timing out
 * while the hart arrives, a release while the hart claims its place) settle on one
 * outcome. An illegal move is reported with the CPU, both states and the caller.
 *
 *             prekick (boot)                  start (bring-up)
 *   NONE ----------------------> HELD  NONE ----------------> STARTING
 *                                 |  \ release                  |    \ give up
 *                           claim |   `------------> STARTING   |     `--> ABANDONED
 *                                 v                       claim |
 *                          CLAIMED_HELD --release--> CLAIMED <--'
 *                                 |                     | arrived
 *         HELD, CLAIMED_HELD --quiesce--> QUIESCE        v
 *                                 | stopped         ARRIVED --finish--> NONE
 *                                 v
 *                                NONE
 */
#ifndef HP_BOOT_HANDSHAKE_H
#define HP_BOOT_HANDSHAKE_H

#include "kernel.h"

struct cpu;

enum cpu_boot_state {
	CPU_BOOT_NONE,          /* not being started */
	CPU_BOOT_HELD,          /* started ahead of its bring-up: halt once in the kernel */
	CPU_BOOT_STARTING,      /* started for its bring-up: go on once in the kernel */
	CPU_BOOT_CLAIMED_HELD,  /* runs kernel code, halted until released */
	CPU_BOOT_CLAIMED,       /* runs kernel code on to its STARTING states; will arrive */
	CPU_BOOT_ARRIVED,       /* has marked itself online */
	CPU_BOOT_QUIESCE,       /* its bring-up never got that far: it stops its hart */
	CPU_BOOT_ABANDONED,     /* the control CPU gave up; a late arrival stops itself */
	CPU_BOOT_STATE_COUNT,
};

const char *cpu_boot_state_name(int state);

/* ---- the control CPU ---- */

/* Boot: starts @cpu's hart ahead of its bring-up (NONE -> HELD); 0 or -errno. */
int cpu_boot_prekick(unsigned int cpu, long *fw);
/* Bring-up: lets a held CPU go on (and wakes it); false if it was not held. */
bool cpu_boot_release(unsigned int cpu);
/* Bring-up of a CPU not held: NONE -> STARTING, then the firmware's hart_start. */
int cpu_boot_start(unsigned int cpu, long *fw);
/* Start timed out: true if the CPU was given up, false if it claimed its place. */
bool cpu_boot_abandon(unsigned int cpu);
/* A held CPU whose bring-up never came is told to stop its hart; false if not held. */
bool cpu_boot_quiesce(unsigned int cpu);
/* Its hart is STOPPED again (after quiesce), or its take-down finished (ARRIVED). */
void cpu_boot_finish(unsigned int cpu);

/* ---- the arriving CPU (interrupts off, on its idle stack) ---- */

/* Claims its place; false: nobody waits for it (given up, stale start), stop at once. */
bool cpu_boot_claim(struct cpu *c);
/* Halts while held; false if it is to stop its hart instead. */
bool cpu_boot_wait_release(struct cpu *c);
/* Online now: CLAIMED -> ARRIVED. */
void cpu_boot_arrived(struct cpu *c);

/* Test aid (debug handshake): attempts an illegal move; true if it was refused. */
bool cpu_boot_selftest_illegal(unsigned int cpu);

#endif
