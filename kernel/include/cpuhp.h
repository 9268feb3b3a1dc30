/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * CPU hotplug states and the API the rest of the kernel uses (after Linux's cpuhp).
 *
 *   cpu_up()                                                      cpu_down()
 *     |                                                              ^
 *     v  control CPU (may sleep)                                     |
 *   OFFLINE -> PREPARE states ............................ DEAD steps (teardowns)
 *              BRINGUP_CPU: hart_start, wait for the CPU  (control CPU)
 *     v  incoming CPU, interrupts off, must not fail                 |
 *              STARTING states ......................... DYING steps, on the outgoing
 *              AP_ONLINE                                 CPU inside stop_machine
 *              TEARDOWN_CPU (control CPU: stop_machine, wait for the hart to stop)
 *              AP_ONLINE_IDLE: the idle task reaches it and completes; it never sleeps
 *     v  the CPU's own hotplug thread cpuhp/N (may sleep)            |
 *              ONLINE states ........................... their teardowns, same thread
 *              ACTIVE (scheduler places tasks)
 *   ONLINE
 *
 * A CPU's state moves one step at a time towards its target; each step runs the
 * state's startup (going up) or teardown (going down), from one call site that logs
 * it in Linux's trace format and honours fault injection (kernel/hotplug/core.c).
 */
#ifndef HP_CPUHP_H
#define HP_CPUHP_H

#include "kernel.h"
#include "cpumask.h"

enum cpuhp_state {
	CPUHP_INVALID = -1,
	CPUHP_OFFLINE = 0,

	/* PREPARE: on the control CPU before the CPU runs; teardowns are the DEAD steps. */
	CPUHP_CREATE_THREADS,
	CPUHP_WORKQUEUE_PREP,
	CPUHP_SMPCFD_PREPARE,
	CPUHP_TIMERS_PREPARE,
	CPUHP_BP_PREPARE_DYN,
	CPUHP_BP_PREPARE_DYN_END = CPUHP_BP_PREPARE_DYN + 7,
	CPUHP_BRINGUP_CPU,

	/* STARTING: on the incoming CPU, interrupts off, cannot fail or sleep. */
	CPUHP_AP_OFFLINE,
	CPUHP_AP_SCHED_STARTING,
	CPUHP_AP_TICK_STARTING,
	CPUHP_AP_SMPCFD_DYING,
	CPUHP_AP_ONLINE,

	CPUHP_TEARDOWN_CPU,
	CPUHP_AP_ONLINE_IDLE,

	/* ONLINE: on the CPU's hotplug thread, may sleep and fail. */
	CPUHP_AP_SCHED_WAIT_EMPTY,
	CPUHP_AP_SMPBOOT_THREADS,
	CPUHP_AP_ONLINE_DYN,
	CPUHP_AP_ONLINE_DYN_END = CPUHP_AP_ONLINE_DYN + 7,
	CPUHP_AP_ACTIVE,
	CPUHP_ONLINE,
	CPUHP_STATE_COUNT,
};

typedef int (*cpuhp_fn)(unsigned int cpu);
typedef void (*cpuhp_atomic_fn)(unsigned int cpu);
struct cpuhp_instance;
typedef int (*cpuhp_multi_fn)(unsigned int cpu, struct cpuhp_instance *inst);
typedef int (*cpuhp_data_fn)(unsigned int cpu, int state, void *data);

/* An instance of a multi-instance state; embed it in the caller's own struct. */
struct cpuhp_instance {
	struct cpuhp_instance *next;
};

/*
 * Sets up @state (or, for CPUHP_BP_PREPARE_DYN / CPUHP_AP_ONLINE_DYN, a free slot of
 * that range) with callbacks that may fail, and runs @startup for every CPU already
 * past it; if one fails, the ones done are undone and the state is left free.
 * Returns the state number (dynamic) or 0, or -errno: -EINVAL for a STARTING state
 * (those must not fail: use cpuhp_setup_state_atomic()), -EBUSY if taken, -ENOSPC.
 */
#define cpuhp_setup_state(state, name, startup, teardown) \
	__cpuhp_setup_state((state), (name), (startup), #startup, (teardown), #teardown, true)
#define cpuhp_setup_state_nocalls(state, name, startup, teardown) \
	__cpuhp_setup_state((state), (name), (startup), #startup, (teardown), #teardown, false)
#define cpuhp_setup_state_multi(state, name, startup, teardown) \
	__cpuhp_setup_state_multi((state), (name), (startup), #startup, (teardown), #teardown)
int __cpuhp_setup_state(int state, const char *name, cpuhp_fn startup, const char *sname,
			cpuhp_fn teardown, const char *tname, bool invoke);
int __cpuhp_setup_state_multi(int state, const char *name, cpuhp_multi_fn startup,
			      const char *sname, cpuhp_multi_fn teardown, const char *tname);
/*
 * As cpuhp_setup_state(), for callbacks that need to know which state called them
 * (one function serving many states: user-space states, kernel/hotplug/user_states.c).
 * @name, @sname and @tname must live as long as the state.
 */
int cpuhp_setup_state_data(int state, const char *name, cpuhp_data_fn startup, const char *sname,
			   cpuhp_data_fn teardown, const char *tname, void *data, bool invoke);
/* Runs @teardown for every CPU past @state and frees the state. */
int cpuhp_remove_state(int state);
int cpuhp_remove_state_nocalls(int state);
int cpuhp_state_add_instance(int state, struct cpuhp_instance *inst);
int cpuhp_state_add_instance_nocalls(int state, struct cpuhp_instance *inst);
int cpuhp_state_remove_instance(int state, struct cpuhp_instance *inst);
int cpuhp_state_remove_instance_nocalls(int state, struct cpuhp_instance *inst);

/* Moves @cpu to @target; serialized; -EBUSY while hotplug is disabled. */
int cpu_up(unsigned int cpu, int target);
int cpu_down(unsigned int cpu, int target);    /* -EPERM with hotplug compiled out */
void cpu_hotplug_disable(void);
void cpu_hotplug_enable(void);

/*
 * A CPU whose firmware call never came back (kernel/hotplug/lost.c): hotplug is
 * disabled for good and reboot leaves it behind. @why goes to the log line.
 */
extern struct cpumask cpu_lost_mask;
void cpu_mark_lost(unsigned int cpu, const char *why);
static inline bool cpu_lost(unsigned int cpu)
{
	return cpumask_test(&cpu_lost_mask, cpu);
}
/* The CPU reboot moves to: @wanted (-1: none) if online and not lost, else the first such. */
int cpu_reboot_target(int wanted);

const char *cpuhp_state_name(int state);
int cpuhp_cpu_state(unsigned int cpu);

/* Boot: CPU0's hotplug state and threads (before the others exist). */
void cpuhp_boot_cpu_init(void);
/* Creates /sys/devices/system/cpu/hotplug and the per-CPU hotplug files. */
void cpuhp_sysfs_init(void);

/* SMT control (kernel/hotplug/smt.c), Linux's cpu_smt_control values. */
enum cpu_smt_control {
	CPU_SMT_ON,
	CPU_SMT_OFF,
	CPU_SMT_FORCE_OFF,
	CPU_SMT_NOT_SUPPORTED,
};
/*
 * Teardown-log lines beside the callback trace (cpuhp.trace=1), one per mask change
 * and per HSM request or observed status; any context.
 */
void cpuhp_trace_mask(unsigned int cpu, const char *mask, bool set);
void cpuhp_trace_hsm(unsigned int cpu, const char *what);

void cpu_smt_init(void);                 /* once the CPUs and their threads are known */
bool cpu_smt_primary(unsigned int cpu);
bool cpu_bootable(unsigned int cpu);
/* Checks that masks, states, per-CPU threads and HSM agree; prints and counts what not. */
unsigned int cpuhp_check_consistency(void);
/* Boot: brings every secondary up to ONLINE (init thread). */
void cpuhp_boot_secondaries(unsigned int max_cpus);
/* Reboot/poweroff: hotplug off, move to the reboot CPU, stop the others. */
void cpuhp_shutdown_prepare(int reboot_cpu);

/* Hooks called by the scheduler, the idle loop and the secondary entry. */
void cpuhp_ap_starting(unsigned int cpu);       /* secondary, interrupts off */
void cpuhp_ap_online_idle(unsigned int cpu);    /* secondary's idle task, once */
bool cpuhp_trace_enabled(void);
void cpuhp_set_trace(bool on);
/* debug lockassert: calls cpuhp_kick_ap() without its lock (a no-op kick). */
void cpuhp_selftest_unlocked_kick(void);
int cpuhp_set_fail(const char *text);     /* "CPU:STATE", as the boot parameter cpuhp.fail= */

#endif
