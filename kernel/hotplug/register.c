/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Registration of states, Linux's cpuhp_setup_state() family: a callback pair put in
 * a slot of the state table (a fixed one or the first free dynamic one) and, unless a
 * nocalls variant, run on every CPU already past it, all or nothing; removal runs the
 * teardowns the same way; multi-instance states add and remove instances. Everything
 * here holds the maps lock (core.c).
 */
#include <string.h>
#include "internal.h"
#include "mutex.h"
#include "percpu.h"
#include "err.h"

static int find_free_dyn(int state)
{
	int first = state == CPUHP_BP_PREPARE_DYN ? CPUHP_BP_PREPARE_DYN : CPUHP_AP_ONLINE_DYN;
	int last = state == CPUHP_BP_PREPARE_DYN ? CPUHP_BP_PREPARE_DYN_END : CPUHP_AP_ONLINE_DYN_END;
	for (int s = first; s <= last; s++) {
		if (!cpuhp_steps[s].name) {
			return s;
		}
	}
	return -ENOSPC;
}

/*
 * Registration's calls for one CPU. ONLINE-section callbacks run on that CPU's own
 * hotplug thread, where the step loop would run them (Linux's cpuhp_issue_call());
 * PREPARE-section ones here, on the control CPU.
 */
static int issue_call(unsigned int cpu, int state, bool bringup, struct cpuhp_instance *inst,
		      bool may_fail)
{
	if (cpuhp_is_ap_state(state) && !cpuhp_is_atomic_state(state)) {
		return cpuhp_invoke_on_ap_thread(cpu, state, bringup, inst, may_fail);
	}
	return cpuhp_invoke_single(cpu, state, bringup, inst, may_fail);
}

/*
 * Runs @state's startup (for @inst alone, or the plain callback) on every CPU already
 * past it. Traced and subject to fault injection like any step; a failure is undone
 * on the CPUs done before, so the registration is all or nothing.
 */
static int issue_on_all(int state, struct cpuhp_instance *inst)
{
	for (unsigned int cpu = 0; cpu < nr_cpu_ids; cpu++) {
		if (cpuhp_state[cpu].state < state) {
			continue;
		}
		int ret = issue_call(cpu, state, true, inst, true);
		if (ret) {
			for (unsigned int done = 0; done < cpu; done++) {
				if (cpuhp_state[done].state >= state) {
					issue_call(done, state, false, inst, false);
				}
			}
			return ret;
		}
	}
	return 0;
}

/* Runs @state's teardown (for @inst alone, or the plain one) on every CPU past it. */
static void teardown_on_all(int state, struct cpuhp_instance *inst)
{
	for (unsigned int cpu = 0; cpu < nr_cpu_ids; cpu++) {
		if (cpuhp_state[cpu].state >= state) {
			issue_call(cpu, state, false, inst, false);
		}
	}
}

static bool is_dyn_request(int state)
{
	return state == CPUHP_BP_PREPARE_DYN || state == CPUHP_AP_ONLINE_DYN;
}

/* The slot @state names (a free one of its range for a dynamic request), or -errno. */
static int claim_state(int state)
{
	if (is_dyn_request(state)) {
		return find_free_dyn(state);
	}
	if (state <= CPUHP_OFFLINE || state >= CPUHP_ONLINE) {
		return -EINVAL;
	}
	/* Fixed slots belong to the table; only dynamic ranges are handed out. */
	if ((state > CPUHP_BP_PREPARE_DYN && state <= CPUHP_BP_PREPARE_DYN_END) ||
	    (state > CPUHP_AP_ONLINE_DYN && state <= CPUHP_AP_ONLINE_DYN_END)) {
		return cpuhp_steps[state].name ? -EBUSY : state;
	}
	return -EBUSY;
}

/* Fills slot @s with @fill, or frees it (NULL); the maps lock is held. */
static void set_step(int s, const struct cpuhp_step *fill)
{
	unsigned long flags = spin_lock_irqsave(&cpuhp_names_lock);
	if (fill) {
		cpuhp_steps[s] = *fill;
	} else {
		memset(&cpuhp_steps[s], 0, sizeof(cpuhp_steps[s]));
	}
	spin_unlock_irqrestore(&cpuhp_names_lock, flags);
}

/*
 * Installs @fill in the slot @state names and, if @invoke, runs its startup on every
 * CPU already past it (undone on failure, the slot freed again). Linux's return: the
 * slot for a dynamic request, 0 for a fixed one, or -errno.
 */
static int setup_step(int state, const struct cpuhp_step *fill, bool invoke)
{
	if (!fill->name || cpuhp_is_atomic_state(state)) {
		return -EINVAL;   /* STARTING callbacks cannot fail: they have no int to return */
	}
	cpu_maps_lock();
	int s = claim_state(state);
	if (s < 0) {
		cpu_maps_unlock();
		return s;
	}
	set_step(s, fill);
	int ret = invoke && !cpuhp_step_empty(true, fill) ? issue_on_all(s, NULL) : 0;
	if (ret) {
		set_step(s, NULL);
	}
	cpu_maps_unlock();
	return ret ? ret : is_dyn_request(state) ? s : 0;
}

int __cpuhp_setup_state(int state, const char *name, cpuhp_fn startup, const char *sname,
			cpuhp_fn teardown, const char *tname, bool invoke)
{
	const struct cpuhp_step fill = { .name = name, .startup = startup, .teardown = teardown,
					 .startup_name = sname, .teardown_name = tname };
	return setup_step(state, &fill, invoke);
}

int cpuhp_setup_state_data(int state, const char *name, cpuhp_data_fn startup, const char *sname,
			   cpuhp_data_fn teardown, const char *tname, void *data, bool invoke)
{
	const struct cpuhp_step fill = { .name = name, .startup_data = startup,
					 .teardown_data = teardown, .data = data,
					 .startup_name = sname, .teardown_name = tname };
	return setup_step(state, &fill, invoke);
}

/* Instances come later (cpuhp_state_add_instance): nothing to invoke yet. */
int __cpuhp_setup_state_multi(int state, const char *name, cpuhp_multi_fn startup,
			      const char *sname, cpuhp_multi_fn teardown, const char *tname)
{
	const struct cpuhp_step fill = { .name = name, .multi = true, .startup_multi = startup,
					 .teardown_multi = teardown, .startup_name = sname,
					 .teardown_name = tname };
	return setup_step(state, &fill, false);
}

static int remove_state(int state, bool invoke)
{
	if (state <= CPUHP_OFFLINE || state >= CPUHP_ONLINE || !cpuhp_steps[state].name ||
	    !((state >= CPUHP_BP_PREPARE_DYN && state <= CPUHP_BP_PREPARE_DYN_END) ||
	      (state >= CPUHP_AP_ONLINE_DYN && state <= CPUHP_AP_ONLINE_DYN_END))) {
		return -EINVAL;
	}
	cpu_maps_lock();
	struct cpuhp_step *step = &cpuhp_steps[state];
	if (step->multi && step->instances) {
		cpu_maps_unlock();
		return -EBUSY;     /* remove the instances first */
	}
	if (invoke && !cpuhp_step_empty(false, step)) {
		teardown_on_all(state, NULL);
	}
	set_step(state, NULL);
	cpu_maps_unlock();
	return 0;
}

int cpuhp_remove_state(int state)
{
	return remove_state(state, true);
}

int cpuhp_remove_state_nocalls(int state)
{
	return remove_state(state, false);
}

static int add_instance(int state, struct cpuhp_instance *inst, bool invoke)
{
	if (state < 0 || state >= CPUHP_STATE_COUNT || !cpuhp_steps[state].multi) {
		return -EINVAL;
	}
	cpu_maps_lock();
	struct cpuhp_step *step = &cpuhp_steps[state];
	int ret = invoke && step->startup_multi ? issue_on_all(state, inst) : 0;
	if (!ret) {
		inst->next = step->instances;
		step->instances = inst;
	}
	cpu_maps_unlock();
	return ret;
}

int cpuhp_state_add_instance(int state, struct cpuhp_instance *inst)
{
	return add_instance(state, inst, true);
}

int cpuhp_state_add_instance_nocalls(int state, struct cpuhp_instance *inst)
{
	return add_instance(state, inst, false);
}

static int remove_instance(int state, struct cpuhp_instance *inst, bool invoke)
{
	if (state < 0 || state >= CPUHP_STATE_COUNT || !cpuhp_steps[state].multi) {
		return -EINVAL;
	}
	cpu_maps_lock();
	struct cpuhp_step *step = &cpuhp_steps[state];
	struct cpuhp_instance **pp = &step->instances;
	while (*pp && *pp != inst) {
		pp = &(*pp)->next;
	}
	int ret = *pp ? 0 : -ENOENT;
	if (*pp) {
		*pp = inst->next;
		if (invoke && step->teardown_multi) {
			teardown_on_all(state, inst);
		}
	}
	cpu_maps_unlock();
	return ret;
}

int cpuhp_state_remove_instance(int state, struct cpuhp_instance *inst)
{
	return remove_instance(state, inst, true);
}

int cpuhp_state_remove_instance_nocalls(int state, struct cpuhp_instance *inst)
{
	return remove_instance(state, inst, false);
}
