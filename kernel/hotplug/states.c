/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The hotplug state table. Order is behaviour: startups run top to bottom when a CPU
 * comes up, teardowns bottom to top when it goes down. Dynamic slots are filled by
 * cpuhp_setup_state(); the fixed entries belong to the subsystems named.
 */
#include "internal.h"
#include "variant.h"
#include "cpuhp_callbacks.h"

/*
 * Each fixed entry is written with STEP(), which counts itself (__COUNTER__): the
 * assertion after the table catches a state of the enum that has no entry, and
 * -Woverride-init (an error here) one that has two.
 */
enum { STEPS_BEFORE = __COUNTER__ };
#define STEP(state) [(state) + 0 * __COUNTER__]

struct cpuhp_step cpuhp_steps[CPUHP_STATE_COUNT] = {
	STEP(CPUHP_OFFLINE) = { .name = "offline" },

	/* Per-CPU threads exist (parked) before anything else may want to use them. */
	STEP(CPUHP_CREATE_THREADS) = {
		.name = "threads:prepare",
		.startup = smpboot_create_threads,
		.startup_name = "smpboot_create_threads",
	},
	/* DEAD: pending deferred work of the dead CPU moves to a live one. */
	STEP(CPUHP_WORKQUEUE_PREP) = {
		.name = "workqueue:prepare",
		.startup = workqueue_prepare_cpu,
		.startup_name = "workqueue_prepare_cpu",
		.teardown = workqueue_dead_cpu,
		.teardown_name = "workqueue_dead_cpu",
	},
	/* DEAD: the cross-call queue must be empty (smpcfd:dying flushed it). */
	STEP(CPUHP_SMPCFD_PREPARE) = {
		.name = "smpcfd:prepare",
		.startup = smpcfd_prepare_cpu,
		.startup_name = "smpcfd_prepare_cpu",
		.teardown = smpcfd_dead_cpu,
		.teardown_name = "smpcfd_dead_cpu",
	},
	/* DEAD: timed sleepers of the dead CPU are re-armed on a live one. */
	STEP(CPUHP_TIMERS_PREPARE) = {
		.name = "timers:prepare",
		.startup = timers_prepare_cpu,
		.startup_name = "timers_prepare_cpu",
		.teardown = timers_dead_cpu,
		.teardown_name = "timers_dead_cpu",
	},
	/* Starts the hart (SBI HSM) and waits until its idle task reaches AP_ONLINE_IDLE. */
	STEP(CPUHP_BRINGUP_CPU) = {
		.name = "cpu:bringup",
		.startup = bringup_cpu,
		.startup_name = "bringup_cpu",
		.teardown = finish_cpu,
		.teardown_name = "finish_cpu",
		.cant_stop = true,
	},

	STEP(CPUHP_AP_OFFLINE) = { .name = "ap:offline", .cant_stop = true },
	/* First thing on the incoming CPU: an empty run queue, no stale IPI reasons. */
	STEP(CPUHP_AP_SCHED_STARTING) = {
		.name = "sched:starting",
		.startup_atomic = sched_cpu_starting,
		.teardown_atomic = sched_cpu_dying,
		.startup_name = "sched_cpu_starting",
		.teardown_name = "sched_cpu_dying",
	},
	STEP(CPUHP_AP_TICK_STARTING) = {
		.name = "tick:starting",
		.startup_atomic = tick_cpu_starting,
		.teardown_atomic = tick_cpu_dying,
		.startup_name = "tick_cpu_starting",
		.teardown_name = "tick_cpu_dying",
	},
	/* DYING: runs what was queued before online was cleared, on the outgoing CPU. */
	STEP(CPUHP_AP_SMPCFD_DYING) = {
		.name = "smpcfd:dying",
		.teardown_atomic = smpcfd_dying_cpu,
		.teardown_name = "smpcfd_dying_cpu",
	},
	STEP(CPUHP_AP_ONLINE) = { .name = "ap:online" },

	/*
	 * Its teardown is the take-down: stop_machine, DYING steps, hart_stop, wait. A
	 * build without it (variant.h) has the state, but nothing to run in it.
	 */
	STEP(CPUHP_TEARDOWN_CPU) = {
		.name = "cpu:teardown",
		.teardown = CPUHP_CAN_TAKE_DOWN ? takedown_cpu : NULL,
		.teardown_name = "takedown_cpu",
		.cant_stop = true,
	},
	STEP(CPUHP_AP_ONLINE_IDLE) = { .name = "ap:online-idle" },

	/* Last before the take-down: nothing but per-CPU threads left on the CPU. */
	STEP(CPUHP_AP_SCHED_WAIT_EMPTY) = {
		.name = "sched:waitempty",
		.teardown = sched_cpu_wait_empty,
		.teardown_name = "sched_cpu_wait_empty",
	},
	/* Per-CPU worker threads run while the CPU is online, parked otherwise. */
	STEP(CPUHP_AP_SMPBOOT_THREADS) = {
		.name = "smpboot/threads:online",
		.startup = smpboot_unpark_threads,
		.startup_name = "smpboot_unpark_threads",
		.teardown = smpboot_park_threads,
		.teardown_name = "smpboot_park_threads",
	},
	/* First down: no new tasks land here, queued ones move away. */
	STEP(CPUHP_AP_ACTIVE) = {
		.name = "sched:active",
		.startup = sched_cpu_activate,
		.startup_name = "sched_cpu_activate",
		.teardown = sched_cpu_deactivate,
		.teardown_name = "sched_cpu_deactivate",
	},
	STEP(CPUHP_ONLINE) = { .name = "online" },
};

enum { STEPS_WRITTEN = __COUNTER__ - STEPS_BEFORE - 1 };
#define DYN_SLOTS (CPUHP_BP_PREPARE_DYN_END - CPUHP_BP_PREPARE_DYN + 1 + \
		   CPUHP_AP_ONLINE_DYN_END - CPUHP_AP_ONLINE_DYN + 1)
_Static_assert(STEPS_WRITTEN == CPUHP_STATE_COUNT - DYN_SLOTS,
	       "every state outside the dynamic ranges has exactly one table entry");
_Static_assert(CPUHP_ONLINE + 1 == CPUHP_STATE_COUNT, "online is the last state");
_Static_assert(CPUHP_BRINGUP_CPU < CPUHP_AP_OFFLINE && CPUHP_AP_ONLINE < CPUHP_TEARDOWN_CPU &&
	       CPUHP_TEARDOWN_CPU < CPUHP_AP_ONLINE_IDLE,
	       "sections in Linux's order: PREPARE, BRINGUP, STARTING, TEARDOWN, ONLINE");
