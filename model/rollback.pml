/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The hotplug state machine's ranges and rollbacks, one CPU, hotplug=true
 * (kernel/hotplug/core.c: invoke's injected failure, cpuhp_up_callbacks,
 * cpuhp_down_callbacks, cpuhp_run_up_nofail, cpuhp_run_down_nofail, fail_check;
 * kernel/hotplug/up.c: _cpu_up, bringup_cpu, cpuhp_kick_ap, cpuhp_thread_fn,
 * cpuhp_ap_starting, cpuhp_ap_online_idle; kernel/hotplug/takedown.c:
 * cpuhp_take_down, takedown_cpu, take_cpu_down, cpuhp_idle_dead,
 * cpuhp_rollback_failed_up).
 *
 * The states, reduced to one of each kind: OFFLINE, a PREPARE state (its teardown a
 * DEAD step), BRINGUP_CPU, a STARTING state (its teardown a DYING step), TEARDOWN_CPU,
 * AP_ONLINE_IDLE, two ONLINE states. The control CPU runs PREPARE, BRINGUP_CPU,
 * TEARDOWN_CPU and the DEAD steps; the incoming CPU's idle task the STARTING steps;
 * its hotplug thread the ONLINE ones, kicked in a direction and rolling back itself
 * on a failure; the outgoing CPU the DYING steps inside stop_machine.
 *
 * Before each of three operations a failure may be armed at any state fail_check
 * accepts (cpuN/hotplug/fail); then the CPU is sent up or down to a target a user may
 * write. Checked after each: a success ends at the target, a failure where it started
 * (hotplug=true rolls all the way back), and the target says so; every state's
 * resource is set up exactly when the CPU is at or above it; the hart runs exactly
 * when the CPU is at or above its STARTING state; ONLINE callbacks run on the CPU's own thread, DEAD steps only
 * once the hart is stopped; no rollback step fails; no deadlock. Mutations, each must
 * give a counterexample: -DROLL_BACK_TO_IDLE (cpuhp/N rolls back to AP_ONLINE_IDLE,
 * not to where it started), -DNO_ROLL_FORWARD (a failed takedown_cpu is not rolled
 * forward by cpuhp/N), -DOVERWRITE_STATE (the range loop sets the state to the step
 * it ran, forgetting that bringup_cpu came back with the CPU further on),
 * -DNO_TARGET_RESET (a failed DEAD step is rolled forward with the target of the
 * take-down: bringup_cpu does not kick cpuhp/N, and the control CPU runs the ONLINE
 * states itself; main had this until the model found it).
 */
#define OPS 3

#define OFFLINE 0
#define PREPARE 1
#define BRINGUP 2
#define STARTING 3
#define TEARDOWN 4
#define IDLE 5
#define ON_A 6
#define ONLINE 7
#define NOFAIL 255

byte state;                  /* st->state */
byte target;                 /* st->target */
bool bringup;                /* st->bringup */
byte fail = NOFAIL;          /* st->fail */
bool res[8];                 /* a state's resource is set up */
bool running;                /* the hart runs kernel code */
bool start_hart, arrived;    /* bringup_cpu: hart_start, and the idle task's completion */
bool die, dead;              /* takedown_cpu: stop_machine's take_cpu_down, cpuhp_idle_dead */
bool should_run;             /* cpuhp/N kicked */
byte done_up, done_down;     /* its two completions */
bool result;                 /* st->result (an error or not) */

#define has_resource(s) (s == PREPARE || s == STARTING || s == ON_A || s == ONLINE)
#define ON_CONTROL 0
#define ON_IDLE 1
#define ON_THREAD 2
#define ON_STOPPER 3

/*
 * cpuhp_invoke_callback(s, up, may_fail), run by @who; err says whether it failed.
 * Injected failures fail before the callback runs (and are used up).
 */
inline invoke(s, up, may_fail, who, err)
{
	err = false;
	if
	:: may_fail && fail == s -> fail = NOFAIL; err = true
	:: else ->
		if
		:: s == PREPARE -> assert(who == ON_CONTROL);
			assert(up || !running);          /* a DEAD step: only once the hart stopped */
			assert(res[s] != up); res[s] = up
		:: s == BRINGUP && up -> assert(who == ON_CONTROL);
			start_hart = true;               /* bringup_cpu: hart_start, wait */
			arrived; arrived = false;
			if
			:: target > IDLE -> kick(target, err)
			:: else -> skip
			fi
		:: s == BRINGUP && !up -> assert(!running)   /* finish_cpu */
		:: s == STARTING -> assert(up && who == ON_IDLE || !up && who == ON_STOPPER);
			assert(res[s] != up); res[s] = up
		:: s == TEARDOWN && !up -> assert(who == ON_CONTROL);
			die = true;                      /* takedown_cpu: stop_machine, wait dead+STOPPED */
			dead; dead = false; !running
		:: s == ON_A || s == ONLINE -> assert(who == ON_THREAD && running);
			assert(res[s] != up); res[s] = up
		:: else -> skip                      /* nothing to run in this state */
		fi
	fi
}

/* cpuhp_up_callbacks / cpuhp_run_up_nofail (may_fail false: a failure is a bug). */
inline up_range(to, may_fail, who, err)
{
	err = false;
	do
	:: state < to ->
		s = state + 1;
		invoke(s, true, may_fail, who, err);
		if
		:: err && may_fail -> break
		:: err && !may_fail -> assert(false)  /* "no way forward, no way back" */
		:: else -> skip
		fi;
#ifndef OVERWRITE_STATE
		if :: state < s -> state = s :: else -> skip fi
#else
		state = s
#endif
	:: else -> break
	od
}

inline down_range(to, may_fail, who, err)
{
	err = false;
	do
	:: state > to ->
		s = state;
		invoke(s, false, may_fail, who, err);
		if
		:: err && may_fail -> break
		:: err && !may_fail -> assert(false)
		:: else -> skip
		fi;
		if :: state == s -> state = s - 1 :: else -> skip fi
	:: else -> break
	od
}

/* cpuhp_kick_ap: the completion is chosen before the kick. */
inline kick(to, err)
{
	target = to;
	bringup = to > state;
	if
	:: bringup -> should_run = true; done_up > 0; done_up--
	:: else -> should_run = true; done_down > 0; done_down--
	fi;
	err = result
}

/* The incoming CPU's idle task, and the outgoing CPU's stopper and idle task. */
active proctype ap()
{
	byte s;
	bool err;
endwait:
	do
	:: start_hart ->
		start_hart = false;
		running = true;
		state = BRINGUP;                     /* cpuhp_ap_starting */
		up_range(TEARDOWN - 1, false, ON_IDLE, err);
		state = IDLE;                        /* cpuhp_ap_online_idle */
		arrived = true
	:: die ->
		die = false;                         /* take_cpu_down: the DYING steps */
		s = STARTING;
		invoke(s, false, false, ON_STOPPER, err);
		state = BRINGUP;
		dead = true;                         /* cpuhp_idle_dead: report, hart_stop */
		running = false
	od
}

/* cpuhp/N: runs the range it was kicked for, and rolls back itself on a failure. */
active proctype thread()
{
	byte s, from;
	bool err, up;
endwait:
	do
	:: should_run ->
		should_run = false;
		from = state;
		up = bringup;
		if
		:: up ->
			up_range(target, true, ON_THREAD, err);
			if
			:: err ->
#ifndef ROLL_BACK_TO_IDLE
				target = from;
#else
				target = IDLE;
#endif
				bringup = false;
				down_range(target, false, ON_THREAD, err);
				err = true
			:: else -> skip
			fi;
			result = err;
			done_up++
		:: else ->
			down_range(target, true, ON_THREAD, err);
			if
			:: err ->
				target = from;
				bringup = true;
				up_range(from, false, ON_THREAD, err);
				err = true
			:: else -> skip
			fi;
			result = err;
			done_down++
		fi
	od
}

/*
 * cpuN/hotplug/fail: left as it is, or written; fail_check takes states with something
 * to run, not atomic, and no DEAD step while the CPU is above BRINGUP_CPU.
 */
inline arm_fail()
{
	byte w;
	if
	:: skip
	:: w = NOFAIL
	:: w = PREPARE
	:: w = BRINGUP
	:: w = TEARDOWN
	:: w = ON_A
	:: w = ONLINE
	fi;
	if
	:: w == 0 -> skip                                  /* not written */
	:: w != 0 && w <= BRINGUP && state > BRINGUP -> skip   /* refused */
	:: else -> fail = w
	fi
}

active proctype control()
{
	byte op, s, prev, to, at;
	bool err, err2;
	for (op : 1 .. OPS) {
		arm_fail();
		if
		:: to = OFFLINE
		:: to = PREPARE
		:: to = IDLE
		:: to = ON_A
		:: to = ONLINE
		fi;
		prev = state;
		if
		:: to > state ->                     /* _cpu_up */
			target = to;
			bringup = true;
			if
			:: state < BRINGUP ->
				if
				:: to < BRINGUP -> up_range(to, true, ON_CONTROL, err)
				:: else -> up_range(BRINGUP, true, ON_CONTROL, err)
				fi
			:: state >= IDLE -> kick(to, err)
			:: else -> err = false
			fi;
			if
			:: err ->                        /* cpuhp_rollback_failed_up */
				target = prev;
				bringup = false;
				down_range(prev, false, ON_CONTROL, err2)
			:: else -> skip
			fi
		:: to < state ->                     /* cpuhp_take_down */
			target = to;
			bringup = false;
			err = false;
			if
			:: state > TEARDOWN ->
				if
				:: to > TEARDOWN -> kick(to, err)
				:: else -> kick(TEARDOWN, err)
				fi;
				target = (err -> prev : to)
			:: else -> skip
			fi;
			if
			:: !err && state > to ->
				down_range(to, true, ON_CONTROL, err);
				if
				:: err ->
					at = state;
					if
					:: at >= TEARDOWN ->
#ifndef NO_ROLL_FORWARD
						kick(prev, err2)
#else
						skip
#endif
					:: else ->             /* a DEAD step failed */
#ifndef NO_TARGET_RESET
						target = prev;
#endif
						bringup = true;
						up_range(prev, false, ON_CONTROL, err2)
					fi
				:: else -> skip
				fi
			:: else -> skip
			fi
		:: else -> err = false
		fi;
		/* after the operation */
		assert(err && state == prev || !err && state == to);
		assert(target == state);             /* hotplug check: "at its target" */
		for (s : PREPARE .. ONLINE) {
			if
			:: has_resource(s) -> assert(res[s] == (state >= s))
			:: else -> skip
			fi
		}
		assert(running == (state >= STARTING))
	}
}
