/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The hotplug engine: the one place state callbacks are invoked (with trace lines in
 * Linux's format and fault injection), the up/down step loops, and the lock that
 * serializes it all. Registration of states is in register.c.
 *
 * Lock order: cpu_add_remove_lock (mutex) → stop_machine's lock → everything in
 * docs/architecture.md. Holders of cpu_add_remove_lock may sleep.
 */
#include <string.h>
#include <stdio.h>
#include "internal.h"
#include "variant.h"
#include "mutex.h"
#include "percpu.h"
#include "log.h"
#include "err.h"
#include "atomic.h"
#include "cmdline.h"
#include "param.h"

struct cpuhp_cpu_state cpuhp_state[NR_CPUS];
struct mutex cpu_add_remove_lock = MUTEX_INIT(cpu_add_remove_lock);
int cpu_hotplug_disabled;
spinlock_t cpuhp_names_lock = SPINLOCK_INIT;
bool cpuhp_unsafe_rollback;
static bool trace_on;

void cpu_maps_lock(void)
{
	mutex_lock(&cpu_add_remove_lock);
}

void cpu_maps_unlock(void)
{
	mutex_unlock(&cpu_add_remove_lock);
}

void cpu_hotplug_disable(void)
{
	cpu_maps_lock();
	cpu_hotplug_disabled++;
	cpu_maps_unlock();
}

void cpu_hotplug_enable(void)
{
	cpu_maps_lock();
	if (cpu_hotplug_disabled == 0) {
		pr_err("cpu_hotplug_enable: unbalanced call\n");
	} else {
		cpu_hotplug_disabled--;
	}
	cpu_maps_unlock();
}

/* ---- boot parameters of the hotplug core ---- */

/* Linux's trace_event=cpuhp; only the cpuhp events exist here. */
static int param_trace_event(struct cmdline *cl, struct bootparam *bp, char *err, size_t len)
{
	(void)cl;
	if (!bp->value || strcmp(bp->value, "cpuhp") != 0) {
		snprintf(err, len, "'trace_event': only 'cpuhp' is known");
		return -EINVAL;
	}
	trace_on = true;
	return 0;
}
BOOT_PARAM("trace_event", param_trace_event);

static int param_trace(struct cmdline *cl, struct bootparam *bp, char *err, size_t len)
{
	unsigned long v;
	int ret = cmdline_get_uint(cl, bp->name, 0, 1, &v, err, len);
	if (!ret) {
		trace_on = v == 1;
	}
	return ret;
}
BOOT_PARAM("cpuhp.trace", param_trace);

/*
 * Test aid: the minimal rollback also runs the DEAD steps of an undead CPU, as Linux
 * did before its 2019 fix, so that the use-after-free check has something to catch.
 * Only the minimal rollback has DEAD steps it could wrongly run under a live CPU.
 */
static int param_unsafe_rollback(struct cmdline *cl, struct bootparam *bp, char *err, size_t len)
{
	unsigned long v;
	int ret = cmdline_get_uint(cl, bp->name, 0, 1, &v, err, len);
	if (!ret && v && CPUHP_CAN_TAKE_DOWN) {
		snprintf(err, len, "'cpuhp.unsafe_rollback': only with hotplug compiled out");
		return -EINVAL;
	}
	if (!ret) {
		cpuhp_unsafe_rollback = v == 1;
	}
	return ret;
}
BOOT_PARAM("cpuhp.unsafe_rollback", param_unsafe_rollback);

bool cpuhp_trace_enabled(void)
{
	return trace_on;
}

void cpuhp_set_trace(bool on)
{
	trace_on = on;
}

void cpuhp_mark_unusable(unsigned int cpu, const char *why)
{
	cpuhp_state[cpu].unusable = why;
	pr_err("CPU%u (hart %lu): marked unusable: %s\n", cpu, cpus[cpu].hartid, why);
}

const char *cpuhp_state_name(int state)
{
	if (state < 0 || state >= CPUHP_STATE_COUNT) {
		return "invalid";
	}
	return cpuhp_steps[state].name ? cpuhp_steps[state].name : "(free)";
}

int cpuhp_cpu_state(unsigned int cpu)
{
	return cpuhp_state[cpu].state;
}

/* ---- tracing: Linux's TP_printk formats, exactly ---- */

static void trace_enter(unsigned int cpu, int target, int step, bool multi, const char *fn)
{
	if (trace_on) {
		printk(LOG_INFO, "cpuhp_%s: cpu: %04u target: %3d step: %3d (%s)\n",
		       multi ? "multi_enter" : "enter", cpu, target, step, fn ? fn : "?");
	}
}

static void trace_exit(unsigned int cpu, int state, int step, int ret)
{
	if (trace_on) {
		printk(LOG_INFO, "cpuhp_exit:  cpu: %04u  state: %3d step: %3d ret: %d\n", cpu,
		       state, step, ret);
	}
}

/* The control CPU handing the ONLINE range to cpuhp/N shows as a step of its own. */
void cpuhp_trace_kick(unsigned int cpu, int target, int step, bool enter, int ret)
{
	if (enter) {
		trace_enter(cpu, target, step, false, "cpuhp_kick_ap_work");
	} else {
		trace_exit(cpu, cpuhp_state[cpu].state, step, ret);
	}
}

/*
 * Parallel boot (up.c): a CPU's BRINGUP_CPU step begins when its hart is let go and
 * ends when the control CPU comes back to wait for it, with the CPU's own STARTING
 * lines between, as in a sequential bring-up; invoke_step() then leaves the enter line out.
 */
void cpuhp_trace_bringup_enter(unsigned int cpu)
{
	struct cpuhp_cpu_state *st = &cpuhp_state[cpu];
	trace_enter(cpu, st->target, CPUHP_BRINGUP_CPU, false,
		    cpuhp_steps[CPUHP_BRINGUP_CPU].startup_name);
	st->bringup_entered = true;
}

void cpuhp_trace_mask(unsigned int cpu, const char *mask, bool set)
{
	if (trace_on) {
		printk(LOG_INFO, "cpuhp_mask:  cpu: %04u %s: %d\n", cpu, mask, set ? 1 : 0);
	}
}

void cpuhp_trace_hsm(unsigned int cpu, const char *what)
{
	if (trace_on) {
		printk(LOG_INFO, "cpuhp_hsm:   cpu: %04u hart: %lu %s\n", cpu, cpus[cpu].hartid, what);
	}
}

/* ---- the single call site ---- */

static int call_plain(const struct cpuhp_step *step, unsigned int cpu, int state, bool bringup)
{
	if (bringup) {
		return step->startup_data ? step->startup_data(cpu, state, step->data)
					  : step->startup(cpu);
	}
	return step->teardown_data ? step->teardown_data(cpu, state, step->data) : step->teardown(cpu);
}

/* An atomic step: on the CPU itself with interrupts off; it cannot fail. */
static __noinline int invoke_atomic(unsigned int cpu, int state, bool bringup, const char *name)
{
	struct cpuhp_step *step = &cpuhp_steps[state];

	trace_enter(cpu, cpuhp_state[cpu].target, state, false, name);
	if (bringup) {
		step->startup_atomic(cpu);
	} else {
		step->teardown_atomic(cpu);
	}
	trace_exit(cpu, bringup ? state : state - 1, state, 0);
	return 0;
}

/* A multi-instance step: each instance in turn (@only: that one), all or nothing. */
static __noinline int invoke_multi(unsigned int cpu, int state, bool bringup,
				   struct cpuhp_instance *only, bool may_fail, const char *name)
{
	struct cpuhp_cpu_state *st = &cpuhp_state[cpu];
	struct cpuhp_step *step = &cpuhp_steps[state];
	cpuhp_multi_fn fn = bringup ? step->startup_multi : step->teardown_multi;
	cpuhp_multi_fn undo = bringup ? step->teardown_multi : step->startup_multi;
	int ret = 0;

	for (struct cpuhp_instance *in = only ? only : step->instances; in; in = only ? NULL : in->next) {
		trace_enter(cpu, st->target, state, true, name);
		ret = fn(cpu, in);
		trace_exit(cpu, bringup == !ret ? state : state - 1, state, ret);
		if (ret && may_fail && only) {
			st->failed_at = state;
			return ret;
		}
		if (ret && may_fail) {
			/* Undo the instances already done, so the state is all or nothing. */
			for (struct cpuhp_instance *u = step->instances; u != in && undo; u = u->next) {
				undo(cpu, u);
			}
			return ret;
		}
	}
	return ret;
}

/*
 * Every state callback runs here: the step loops, the rollbacks, and registration's
 * calls (issue_call() below). @only names one instance of a multi-instance state (an
 * instance being added or removed); NULL runs them all. The plain single callback,
 * which every operation runs a dozen of, is handled here; the others have their own
 * functions, which keeps this one's frame small.
 */
static int invoke_step(unsigned int cpu, int state, bool bringup, struct cpuhp_instance *only,
		       bool may_fail)
{
	struct cpuhp_cpu_state *st = &cpuhp_state[cpu];
	struct cpuhp_step *step = &cpuhp_steps[state];
	const char *name = bringup ? step->startup_name : step->teardown_name;

	/* Injected failures fail before the callback, with no trace line (as Linux). */
	if (may_fail && st->fail == state) {
		st->fail = CPUHP_INVALID;
		st->failed_at = state;
		return -EAGAIN;
	}
	if (cpuhp_step_empty(bringup, step)) {
		return 0;
	}
	if (cpuhp_is_atomic_state(state)) {
		return invoke_atomic(cpu, state, bringup, name);
	}
	if (step->multi) {
		return invoke_multi(cpu, state, bringup, only, may_fail, name);
	}
	if (state == CPUHP_BRINGUP_CPU && bringup && st->bringup_entered) {
		st->bringup_entered = false;        /* cpuhp_trace_bringup_enter() */
	} else {
		trace_enter(cpu, st->target, state, false, name);
	}
	int ret = call_plain(step, cpu, state, bringup);
	/*
	 * As Linux, the exit line shows the CPU's state: the step (or the one below it)
	 * for most, but where the CPU got to by itself for BRINGUP_CPU and TEARDOWN_CPU.
	 */
	bool moved = state == CPUHP_BRINGUP_CPU || state == CPUHP_TEARDOWN_CPU;
	trace_exit(cpu, moved ? st->state : bringup == !ret ? state : state - 1, state, ret);
	/*
	 * BRINGUP_CPU passes on a failure of the ONLINE states cpuhp/N ran (already
	 * recorded there); it is the failing state only if the CPU never arrived.
	 */
	if (ret && may_fail && (state != CPUHP_BRINGUP_CPU || st->state < CPUHP_AP_ONLINE_IDLE)) {
		st->failed_at = state;
	}
	return ret;
}

/* The step with its cost, for the per-step profile (profile.c). */
static int invoke(unsigned int cpu, int state, bool bringup, struct cpuhp_instance *only,
		  bool may_fail)
{
	uint64_t t0 = cpuhp_profile_enter();
	int ret = invoke_step(cpu, state, bringup, only, may_fail);
	cpuhp_profile_exit(state, bringup, t0);
	return ret;
}

int cpuhp_invoke_callback(unsigned int cpu, int state, bool bringup, bool may_fail)
{
	return invoke(cpu, state, bringup, NULL, may_fail);
}

int cpuhp_invoke_single(unsigned int cpu, int state, bool bringup, struct cpuhp_instance *inst,
			bool may_fail)
{
	return invoke(cpu, state, bringup, inst, may_fail);
}

/*
 * Most of the table's numbers have nothing to run in a given direction; stepping over
 * them here, without a call, is what invoke_step() would do (no failure injected, no
 * trace line), at a fraction of the cost: a cycle passes some sixty of them.
 */
static bool nothing_to_run(const struct cpuhp_cpu_state *st, int state, bool bringup)
{
	return st->fail != state && cpuhp_step_empty(bringup, &cpuhp_steps[state]);
}

int cpuhp_up_callbacks(unsigned int cpu, int target)
{
	struct cpuhp_cpu_state *st = &cpuhp_state[cpu];

	while (st->state < target) {
		int s = st->state + 1;
		int ret = nothing_to_run(st, s, true) ? 0 : cpuhp_invoke_callback(cpu, s, true, true);
		if (ret) {
			return ret;
		}
		/* bringup_cpu() comes back with the CPU further on: keep what it reached. */
		if (st->state < s) {
			st->state = s;
		}
	}
	return 0;
}

int cpuhp_down_callbacks(unsigned int cpu, int target)
{
	struct cpuhp_cpu_state *st = &cpuhp_state[cpu];

	while (st->state > target) {
		int s = st->state;
		int ret = nothing_to_run(st, s, false) ? 0 : cpuhp_invoke_callback(cpu, s, false, true);
		if (ret) {
			return ret;
		}
		/* The take-down comes back with the DYING steps done: keep where it left us. */
		if (st->state == s) {
			st->state = s - 1;
		}
	}
	return 0;
}

/* Rollback must not fail; if a callback does, there is no way forward and none back. */
void cpuhp_run_up_nofail(unsigned int cpu, int target)
{
	struct cpuhp_cpu_state *st = &cpuhp_state[cpu];

	while (st->state < target) {
		int s = st->state + 1;
		if (cpuhp_invoke_callback(cpu, s, true, false)) {
			printk(LOG_ERR, "WARNING: CPU%u: rollback step %d (%s) failed; no way forward, no way back\n",
			       cpu, s, cpuhp_state_name(s));
		}
		if (st->state < s) {
			st->state = s;
		}
	}
}

void cpuhp_run_down_nofail(unsigned int cpu, int target)
{
	struct cpuhp_cpu_state *st = &cpuhp_state[cpu];

	while (st->state > target) {
		int s = st->state;
		if (cpuhp_invoke_callback(cpu, s, false, false)) {
			printk(LOG_ERR, "WARNING: CPU%u: rollback step %d (%s) failed; no way forward, no way back\n",
			       cpu, s, cpuhp_state_name(s));
		}
		if (st->state == s) {
			st->state = s - 1;
		}
	}
}

/* ---- fault injection (cpuN/hotplug/fail, cpuhp.fail=CPU:STATE) ---- */

/* Linux's fail_store() rules: only states whose callbacks may fail. */
static int fail_check(unsigned int cpu, int state)
{
	if (state == CPUHP_INVALID) {
		return 0;
	}
	if (state < CPUHP_OFFLINE || state > CPUHP_ONLINE) {
		return -EINVAL;
	}
	if (cpuhp_is_atomic_state(state)) {
		return -EINVAL;            /* STARTING/DYING run with interrupts off: no failing */
	}
	if (state <= CPUHP_BRINGUP_CPU && cpuhp_state[cpu].state > CPUHP_BRINGUP_CPU) {
		return -EINVAL;            /* its teardown would be a DEAD step, which cannot fail */
	}
	const struct cpuhp_step *s = &cpuhp_steps[state];
	if (cpuhp_step_empty(true, s) && cpuhp_step_empty(false, s)) {
		return -EINVAL;            /* nothing would run, so nothing could fail */
	}
	return 0;
}

int cpuhp_fail_store(unsigned int cpu, int state)
{
	cpu_maps_lock();
	int err = fail_check(cpu, state);
	if (!err) {
		cpuhp_state[cpu].fail = state;
	}
	cpu_maps_unlock();
	return err;
}

/* "CPU:STATE" from the command line, checked before anything runs. */
int cpuhp_set_fail(const char *text)
{
	unsigned long cpu, state;
	char buf[32];
	const char *colon = strchr(text, ':');

	if (!colon || (size_t)(colon - text) >= sizeof(buf)) {
		return -EINVAL;
	}
	memcpy(buf, text, (size_t)(colon - text));
	buf[colon - text] = 0;
	if (!parse_ulong(buf, &cpu) || !parse_ulong(colon + 1, &state) || cpu >= NR_CPUS ||
	    state > CPUHP_ONLINE) {
		return -EINVAL;
	}
	/* At boot the CPU is offline: the same rules as a write to its fail file. */
	int err = fail_check((unsigned int)cpu, (int)state);
	if (!err) {
		cpuhp_state[cpu].fail = (int)state;
	}
	return err;
}

/* Late: the CPUs are numbered and their hotplug state is set up by then. */
static int param_fail(struct cmdline *cl, struct bootparam *bp, char *err, size_t len)
{
	(void)cl;
	if (!bp->value || cpuhp_set_fail(bp->value)) {
		snprintf(err, len, "'cpuhp.fail=%s': want CPU:STATE with a state that may fail",
			 bp->value ? bp->value : "");
		return -EINVAL;
	}
	return 0;
}
BOOT_PARAM_LATE("cpuhp.fail", param_fail);
