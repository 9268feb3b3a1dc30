/* SPDX-License-Identifier: BSD-2-Clause */
/* Private to kernel/hotplug: per-CPU hotplug state, the step table, the engine. */
#ifndef HP_HOTPLUG_INTERNAL_H
#define HP_HOTPLUG_INTERNAL_H

#include "cpuhp.h"
#include "sched.h"
#include "mutex.h"
#include "spinlock.h"

/**
 * struct cpuhp_step - one state of the table
 * @name:      "subsys:phase", as logs and tools print it; NULL = free dynamic slot
 * @startup/@teardown: callbacks; @startup_atomic/@teardown_atomic for STARTING states
 * @startup_data/@teardown_data: callbacks given @data (instead of @startup/@teardown)
 * @*_name:    the callbacks' function names, for trace lines (Linux prints %ps)
 * @cant_stop: a target may not stop here (BRINGUP_CPU, TEARDOWN_CPU)
 * @multi:     multi-instance state: callbacks run once per instance
 */
struct cpuhp_step {
	const char *name;
	cpuhp_fn startup, teardown;
	cpuhp_atomic_fn startup_atomic, teardown_atomic;
	cpuhp_multi_fn startup_multi, teardown_multi;
	cpuhp_data_fn startup_data, teardown_data;
	void *data;
	const char *startup_name, *teardown_name;
	bool cant_stop;
	bool multi;
	struct cpuhp_instance *instances;
};

/**
 * struct cpuhp_cpu_state - hotplug state of one CPU
 * @state:    the last state whose startup completed (or whose teardown has not run)
 * @target:   where the current operation goes
 * @fail:     state whose next callback fails with -EAGAIN (injection), or -1
 * @bringup:  direction of the current operation
 * @thread:   cpuhp/N, bound to the CPU; runs the ONLINE states
 * @should_run: a job for @thread is pending; @result its outcome
 * @single_*: one callback for @thread to run (registration), @done_single when done
 * @done_up/@done_down: completions the control CPU waits on
 * @unusable: why the hart is never started again (it failed to start, did not
 *            arrive, did not stop), or NULL; set by cpuhp_mark_unusable()
 * @booted_once: reached AP_ONLINE_IDLE at least once
 * Everything but @state (written by the CPU itself while it runs STARTING states) is
 * changed under cpu_add_remove_lock or by the thread acting for the holder.
 */
struct cpuhp_cpu_state {
	int state;
	int target;
	int fail;
	bool bringup;
	struct task *thread;
	bool should_run;
	int result;
	struct wait_queue wq;
	struct completion done_up, done_down;
	bool single_pending;
	struct {
		int state;
		bool bringup, may_fail;
		struct cpuhp_instance *inst;
		int result;
	} single;
	struct completion done_single;
	const char *unusable;
	bool booted_once;
	bool released_early;    /* parallel boot: let go before its BRINGUP_CPU step (up.c) */
	int arrival;            /* parallel boot: how waiting for it ended (0, -ETIMEDOUT) */
	bool bringup_entered;   /* parallel boot: BRINGUP_CPU's enter line is out already */
	int failed_at;          /* state of the last callback that failed (for reports) */
};

extern struct cpuhp_step cpuhp_steps[CPUHP_STATE_COUNT];
extern struct cpuhp_cpu_state cpuhp_state[NR_CPUS];

/* Sections of the table: who runs a state and whether it may fail. */
static inline bool cpuhp_is_ap_state(int state)
{
	/* Run by the CPU itself (STARTING) or its hotplug thread (ONLINE). */
	return state > CPUHP_BRINGUP_CPU && state != CPUHP_TEARDOWN_CPU;
}

static inline bool cpuhp_is_atomic_state(int state)
{
	return state >= CPUHP_AP_OFFLINE && state <= CPUHP_AP_ONLINE;
}

static inline bool cpuhp_step_empty(bool bringup, const struct cpuhp_step *s)
{
	if (s->multi) {
		return bringup ? !s->startup_multi : !s->teardown_multi;
	}
	return bringup ? !s->startup && !s->startup_atomic && !s->startup_data
		       : !s->teardown && !s->teardown_atomic && !s->teardown_data;
}

/* The single call site of state callbacks (core.c); _single: one instance only. */
int cpuhp_invoke_callback(unsigned int cpu, int state, bool bringup, bool may_fail);
int cpuhp_invoke_single(unsigned int cpu, int state, bool bringup, struct cpuhp_instance *inst,
			bool may_fail);
/*
 * Runs cpuhp_invoke_single() for @cpu on its hotplug thread and waits for the result
 * (up.c): registration's ONLINE-section calls. Directly, if the thread is parked.
 */
int cpuhp_invoke_on_ap_thread(unsigned int cpu, int state, bool bringup,
			      struct cpuhp_instance *inst, bool may_fail);
/* Runs startups from st->state+1 up to @target; on failure, the caller undoes. */
int cpuhp_up_callbacks(unsigned int cpu, int target);
/* Runs teardowns from st->state down to @target; on failure, rolls forward. */
int cpuhp_down_callbacks(unsigned int cpu, int target);
/* Runs startups (teardowns) without failure handling: rollback paths. */
void cpuhp_run_up_nofail(unsigned int cpu, int target);
void cpuhp_run_down_nofail(unsigned int cpu, int target);
/* Hands the range from st->state to st->target to cpuhp/N and waits; its result. */
int cpuhp_kick_ap(unsigned int cpu, int target);
/* Parallel boot: BRINGUP_CPU's enter line when the hart is let go (core.c). */
void cpuhp_trace_bringup_enter(unsigned int cpu);
void cpuhp_trace_kick(unsigned int cpu, int target, int step, bool enter, int ret);

/* Serializes cpu_up/cpu_down and the disable count. */
void cpu_maps_lock(void);
void cpu_maps_unlock(void);
/* Functions that must run under cpu_add_remove_lock say so: a WARNING if not. */
extern struct mutex cpu_add_remove_lock;
#define lockdep_assert_cpus_held() lockdep_assert_held(&cpu_add_remove_lock)
extern int cpu_hotplug_disabled;
/* Taken (besides the maps lock) to fill or free a slot: readers of names need only it. */
extern spinlock_t cpuhp_names_lock;
/* cpuhp.unsafe_rollback=1 (hotplug=false only): the minimal rollback runs DEAD steps. */
extern bool cpuhp_unsafe_rollback;

/* Run-time controls (control.c); each refuses with -EPERM in a build without take-down. */
int cpuhp_online_store(unsigned int cpu, bool online);
int cpuhp_target_store(unsigned int cpu, int target);
int cpuhp_smt_store(int control);

/* SMT control state (smt.c). */
int cpu_smt_check_change(int control);
int cpu_smt_get_control(void);
void cpu_smt_set_control(int control);
void cpu_smt_sysfs_init(void);
/* _cpu_up with the maps lock held (up.c). */
int cpu_up_locked(unsigned int cpu, int target);

/* A hart that misbehaved is never started again; @why shows in cpuN/hotplug/unusable. */
void cpuhp_mark_unusable(unsigned int cpu, const char *why);

/*
 * The soak's background load (selftest.c), shared with the torture (torture.c):
 * cross-calls and deferred work to every online CPU; stop returns what happened since
 * start, once the last deferred item ran.
 */
struct hotplug_load_stats {
	unsigned long calls, offline_ipis, raced, queued, executed, handed_over, not_stopped;
};
int hotplug_load_start(void);
void hotplug_load_stop(struct hotplug_load_stats *out);
/* Sorts latencies for medians (selftest.c; the bench and the torture). */
void hotplug_sort_u64(uint64_t *v, size_t n);
/* hotplug torture OPS [SEED] (torture.c). */
int hotplug_torture(unsigned long ops, unsigned long seed, bool seeded);

/* up.c / core.c helpers shared inside kernel/hotplug */
int cpuhp_check_down_target(unsigned int cpu, int target);
int cpuhp_fail_store(unsigned int cpu, int state);
void cpuhp_init_cpu(unsigned int cpu);

/*
 * The per-step profile (profile.c, `hotplug bench`): ticks and calls per state and
 * direction while it is on; slot CPUHP_PROFILE_KICK is the control CPU's hand-over of
 * the ONLINE range to cpuhp/N (it contains those steps).
 */
struct cpuhp_step_cost {
	uint64_t ticks;
	unsigned int calls;
};
#define CPUHP_PROFILE_KICK CPUHP_STATE_COUNT
#define CPUHP_PROFILE_SLOTS (CPUHP_STATE_COUNT + 1)
void cpuhp_profile_start(void);
void cpuhp_profile_stop(void);
struct cpuhp_step_cost cpuhp_profile_cost(int slot, bool bringup);
/* Around a step: nothing but a test of the flag while no bench runs. */
extern bool cpuhp_profiling;
uint64_t cpuhp_profile_clock(void);
void cpuhp_profile_add(int slot, bool bringup, uint64_t t0);

static inline uint64_t cpuhp_profile_enter(void)
{
	return cpuhp_profiling ? cpuhp_profile_clock() : 0;
}

static inline void cpuhp_profile_exit(int slot, bool bringup, uint64_t t0)
{
	if (cpuhp_profiling) {
		cpuhp_profile_add(slot, bringup, t0);
	}
}

#endif
