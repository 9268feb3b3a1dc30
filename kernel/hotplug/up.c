/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Bringing CPUs up: cpu_up() on the control CPU, the incoming CPU's own part (STARTING
 * states, then AP_ONLINE_IDLE from its idle task), and the per-CPU hotplug thread
 * that runs the ONLINE states. The idle task never sleeps: it completes to the
 * control CPU, which unparks the new CPU's threads and kicks cpuhp/N.
 */
#include <stdio.h>
#include <string.h>
#include "internal.h"
#include "variant.h"
#include "cpuhp_callbacks.h"
#include "percpu.h"
#include "cpu_boot.h"
#include "boot_handshake.h"
#include "stop_machine.h"
#include "log.h"
#include "err.h"
#include "atomic.h"
#include "cmdline.h"
#include "param.h"

/*
 * How long a started hart may take to reach AP_ONLINE_IDLE. Under TCG each vCPU is a
 * host thread; a healthy hart that has never run needs a few milliseconds to be
 * translated, far more on a loaded host.
 */
#define ARRIVAL_TIMEOUT_MS 10000

/* ---- the hotplug thread: cpuhp/N ---- */

void cpuhp_thread_fn(void *arg)
{
	unsigned int cpu = (unsigned int)(uintptr_t)arg;
	struct cpuhp_cpu_state *st = &cpuhp_state[cpu];

	for (;;) {
		wait_event(&st->wq, load_acquire(&st->should_run) || load_acquire(&st->single_pending) ||
					    kthread_should_park());
		if (kthread_should_park()) {
			kthread_parkme();
			continue;
		}
		if (load_acquire(&st->single_pending)) {
			st->single_pending = false;
			st->single.result = cpuhp_invoke_single(cpu, st->single.state, st->single.bringup,
								st->single.inst, st->single.may_fail);
			complete(&st->done_single);
			continue;
		}
		st->should_run = false;
		int from = st->state, ret;
		if (st->bringup) {
			ret = cpuhp_up_callbacks(cpu, st->target);
			if (ret) {
				/* Undo the ONLINE states done, back to where we were kicked from. */
				st->target = from;
				st->bringup = false;
				cpuhp_run_down_nofail(cpu, from);
			}
			st->result = ret;
			complete(&st->done_up);
		} else {
			ret = cpuhp_down_callbacks(cpu, st->target);
			if (ret) {
				st->target = from;
				st->bringup = true;
				cpuhp_run_up_nofail(cpu, from);
			}
			st->result = ret;
			/*
			 * Handed on to TEARDOWN_CPU, this thread has nothing left to do on this
			 * CPU: it parks before answering, so the take-down need not ask it to.
			 */
			if (!ret && st->target <= CPUHP_TEARDOWN_CPU) {
				kthread_park_self(&st->done_down);
			} else {
				complete(&st->done_down);
			}
		}
	}
}

int cpuhp_kick_ap(unsigned int cpu, int target)
{
	struct cpuhp_cpu_state *st = &cpuhp_state[cpu];

	lockdep_assert_cpus_held();
	st->target = target;
	st->bringup = target > st->state;
	st->result = 0;
	/*
	 * Chosen before the kick: a failing cpuhp/N turns st->bringup round for its
	 * rollback, possibly before we get to wait, but answers on the completion of the
	 * direction it was kicked in.
	 */
	struct completion *done = st->bringup ? &st->done_up : &st->done_down;
	store_release(&st->should_run, true);
	wake_up_all(&st->wq);
	wait_for_completion(done);
	return st->result;
}

int cpuhp_invoke_on_ap_thread(unsigned int cpu, int state, bool bringup,
			      struct cpuhp_instance *inst, bool may_fail)
{
	struct cpuhp_cpu_state *st = &cpuhp_state[cpu];

	lockdep_assert_cpus_held();
	/* A parked thread (an undead CPU of the minimal build) cannot take the call. */
	if (!st->thread || kthread_is_parked(st->thread)) {
		return cpuhp_invoke_single(cpu, state, bringup, inst, may_fail);
	}
	st->single.state = state;
	st->single.bringup = bringup;
	st->single.may_fail = may_fail;
	st->single.inst = inst;
	completion_init(&st->done_single);
	store_release(&st->single_pending, true);
	wake_up_all(&st->wq);
	wait_for_completion(&st->done_single);
	return st->single.result;
}

/* ---- the incoming CPU's side ---- */

void cpuhp_ap_starting(unsigned int cpu)
{
	struct cpuhp_cpu_state *st = &cpuhp_state[cpu];

	/*
	 * The control CPU is inside BRINGUP_CPU, or (parallel boot) will enter it only to
	 * wait for us: either way the next step is the first of ours.
	 */
	st->state = CPUHP_BRINGUP_CPU;
	/* STARTING states: interrupts off, nothing may fail. */
	while (st->state < CPUHP_AP_ONLINE) {
		int s = st->state + 1;
		cpuhp_invoke_callback(cpu, s, true, false);
		st->state = s;
	}
}

void cpuhp_ap_online_idle(unsigned int cpu)
{
	struct cpuhp_cpu_state *st = &cpuhp_state[cpu];

	/* TEARDOWN_CPU has no startup: reaching AP_ONLINE_IDLE is the idle task's one job. */
	store_release(&st->state, CPUHP_AP_ONLINE_IDLE);
	complete(&st->done_up);
}

/* ---- the control CPU's side ---- */

/*
 * Waits for a started CPU to reach AP_ONLINE_IDLE, then unparks its threads and its
 * stopper: the idle task could not unpark anything without sleeping. 0, or
 * -ETIMEDOUT for a CPU that never came (marked unusable).
 */
static int wait_arrival(unsigned int cpu)
{
	struct cpuhp_cpu_state *st = &cpuhp_state[cpu];
	struct cpu *c = &cpus[cpu];
	long fw;

	if (wait_for_completion_timeout(&st->done_up, ARRIVAL_TIMEOUT_MS)) {
		if (cpu_boot_abandon(cpu)) {
			int hs = arch_hart_status(c->hartid, &fw);
			pr_err("CPU%u (hart %lu): did not come online within %u ms (HSM status %s); skipped\n",
			       cpu, c->hartid, ARRIVAL_TIMEOUT_MS,
			       hs < 0 ? arch_fw_err_name(fw) : arch_cpu_status_name(hs));
			cpuhp_mark_unusable(cpu, "did not come online");
			return -ETIMEDOUT;
		}
		/* It claimed its place just now: it runs kernel code and will arrive. */
		wait_for_completion(&st->done_up);
	}
	st->booted_once = true;
	kthread_unpark(st->thread);
	stop_machine_unpark(cpu);
	return 0;
}

int bringup_cpu(unsigned int cpu)
{
	struct cpuhp_cpu_state *st = &cpuhp_state[cpu];
	struct cpu *c = &cpus[cpu];
	long fw;

	lockdep_assert_cpus_held();
	int err = 0;
	if (st->released_early) {
		/* The parallel boot let it go and waited for it already (boot_parallel()). */
		st->released_early = false;
		err = st->arrival;
	} else {
		completion_init(&st->done_up);
		if (cpu_boot_release(cpu)) {
			/* Started at boot already and halted in the kernel: let it go on. */
			cpuhp_trace_hsm(cpu, "started at boot: released");
		} else {
			err = cpu_boot_start(cpu, &fw);
			cpuhp_trace_hsm(cpu, err ? "hart_start: failed" : "hart_start");
			if (err) {
				pr_err("CPU%u (hart %lu): failed to start: %s (%s)\n", cpu, c->hartid,
				       arch_fw_err_name(fw), err_name(err));
				/* -EBUSY: the handshake was not idle, a bug already reported. */
				if (err != -EBUSY) {
					cpuhp_mark_unusable(cpu, "the firmware failed to start it");
				}
				return err;
			}
		}
		err = wait_arrival(cpu);
	}
	if (err) {
		return err;
	}
	/*
	 * nosmt: a secondary thread is booted once and then cancelled here, after it
	 * reached AP_ONLINE_IDLE (Linux's x86 pattern); the rollback decides its fate.
	 */
	if (!cpu_bootable(cpu)) {
		st->failed_at = CPUHP_BRINGUP_CPU;
		return -ECANCELED;
	}
	if (st->target > CPUHP_AP_ONLINE_IDLE) {
		return cpuhp_kick_ap(cpu, st->target);
	}
	return 0;
}

int finish_cpu(unsigned int cpu)
{
	cpu_boot_finish(cpu);
	return 0;
}

static int _cpu_up(unsigned int cpu, int target)
{
	struct cpuhp_cpu_state *st = &cpuhp_state[cpu];
	int prev = st->state, ret = 0;

	lockdep_assert_cpus_held();
	if (st->unusable) {
		pr_err("CPU%u: unusable (%s): not started again\n", cpu, st->unusable);
		return -EIO;
	}
	if (st->state >= target) {
		return 0;
	}
	st->target = target;
	st->bringup = true;
	if (st->state < CPUHP_BRINGUP_CPU) {
		ret = cpuhp_up_callbacks(cpu, MIN(target, CPUHP_BRINGUP_CPU));
	} else if (st->state >= CPUHP_AP_ONLINE_IDLE) {
		ret = cpuhp_kick_ap(cpu, target);
	}
	if (ret) {
		cpuhp_rollback_failed_up(cpu, prev, ret);
	}
	return ret;
}

static int check_cpu_target(unsigned int cpu, int target)
{
	if (cpu >= nr_cpu_ids || !cpumask_test(&cpu_present_mask, cpu)) {
		return -ENODEV;
	}
	if (target < CPUHP_OFFLINE || target > CPUHP_ONLINE || cpuhp_steps[target].cant_stop) {
		return -EINVAL;
	}
	return 0;
}

int cpu_up_locked(unsigned int cpu, int target)
{
	/* A thread nosmt has switched off is not started again (Linux: -EPERM). */
	return cpu_bootable(cpu) ? _cpu_up(cpu, target) : -EPERM;
}

int cpu_up(unsigned int cpu, int target)
{
	int err = check_cpu_target(cpu, target);
	if (err) {
		return err;
	}
	cpu_maps_lock();
	err = cpu_hotplug_disabled ? -EBUSY : cpu_up_locked(cpu, target);
	cpu_maps_unlock();
	return err;
}

int cpuhp_check_down_target(unsigned int cpu, int target)
{
	return check_cpu_target(cpu, target);
}

void cpuhp_init_cpu(unsigned int cpu)
{
	struct cpuhp_cpu_state *st = &cpuhp_state[cpu];

	st->state = CPUHP_OFFLINE;
	st->target = CPUHP_OFFLINE;
	st->fail = CPUHP_INVALID;
	wait_queue_init(&st->wq);
	completion_init(&st->done_up);
	completion_init(&st->done_down);
}

/* The boot CPU is online from the start: its threads are made and run at once. */
void cpuhp_boot_cpu_init(void)
{
	struct cpuhp_cpu_state *st = &cpuhp_state[0];

	for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++) {
		cpuhp_init_cpu(cpu);
	}
	/* Its PREPARE work, by hand: the boot CPU never went through bring-up. */
	if (smpboot_create_threads(0) || timers_prepare_cpu(0)) {
		panic("cannot set up the boot CPU's per-CPU threads and tick");
	}
	kthread_unpark(st->thread);
	stop_machine_unpark(0);
	smpboot_unpark_threads(0);
	st->state = CPUHP_ONLINE;
	st->target = CPUHP_ONLINE;
	st->booted_once = true;
}

/* cpuhp.parallel=0|1 (Linux's parameter): bring the secondaries up in parallel at boot. */
static unsigned long parallel_bringup = 1;

static int param_parallel(struct cmdline *cl, struct bootparam *bp, char *err, size_t len)
{
	return cmdline_get_uint(cl, bp->name, 0, 1, &parallel_bringup, err, len);
}
BOOT_PARAM("cpuhp.parallel", param_parallel);

static void report_boot_up(unsigned int cpu, int err)
{
	if (err == -ECANCELED) {
		pr_info("smt: CPU%u (core %d thread %d) booted once, then cancelled (nosmt)\n", cpu,
			cpus[cpu].core_id, cpus[cpu].thread_id);
	} else if (err) {
		pr_err("CPU%u: bring-up failed: %s (%s)\n", cpu, err_text(err), err_name(err));
	}
}

/*
 * Parallel boot, first half for one CPU: its PREPARE states on the control CPU, as in
 * cpu_up(); a failure rolls back as there and is reported then.
 */
static int prepare_early(unsigned int cpu)
{
	struct cpuhp_cpu_state *st = &cpuhp_state[cpu];

	if (st->unusable || !cpu_bootable(cpu) || st->state != CPUHP_OFFLINE) {
		return 0;          /* cpu_up() in the second half says why */
	}
	st->target = CPUHP_ONLINE;
	st->bringup = true;
	int ret = cpuhp_up_callbacks(cpu, CPUHP_BRINGUP_CPU - 1);
	if (ret) {
		cpuhp_rollback_failed_up(cpu, CPUHP_OFFLINE, ret);
	}
	return ret;
}

/*
 * Let a prepared CPU's hart, started at boot and halted in the kernel, run its
 * STARTING states now, beside the others. Not one whose BRINGUP_CPU step has a failure
 * injected: that step fails before its hart is let go, in either mode.
 */
static void release_early(unsigned int cpu)
{
	struct cpuhp_cpu_state *st = &cpuhp_state[cpu];

	if (st->state != CPUHP_BRINGUP_CPU - 1 || st->fail == CPUHP_BRINGUP_CPU) {
		return;
	}
	completion_init(&st->done_up);
	/* Its BRINGUP_CPU step begins here; if it cannot be let go, bringup_cpu() starts it. */
	cpuhp_trace_bringup_enter(cpu);
	if (cpu_boot_release(cpu)) {
		cpuhp_trace_hsm(cpu, "started at boot: released");
		st->released_early = true;
	}
}

/*
 * Second half, for every prepared CPU: BRINGUP_CPU waits for a CPU let go early
 * (AP_ONLINE_IDLE, reached on its own) or starts one that was not, then hands the
 * ONLINE states to its cpuhp/N, one CPU after the other as Linux does. The state of a
 * CPU let go is its own to move meanwhile, so the step is invoked directly rather than
 * by a step loop reading it; a failure rolls back to OFFLINE, where cpu_up() began.
 */
static int complete_early(unsigned int cpu)
{
	int ret = cpuhp_invoke_callback(cpu, CPUHP_BRINGUP_CPU, true, true);
	if (ret) {
		cpuhp_rollback_failed_up(cpu, CPUHP_OFFLINE, ret);
	}
	return ret;
}

/*
 * Linux's parallel bring-up: the PREPARE states of every CPU first, then all are let
 * go at once, so that their STARTING states and the wake-ups of their harts overlap;
 * then the ONLINE states, CPU by CPU. Each CPU's lines in the teardown log keep their
 * order; only CPUs' lines interleave.
 */
static void boot_parallel(unsigned int max_cpus)
{
	static int err[NR_CPUS];
	unsigned int n = MIN(nr_cpu_ids, max_cpus);

	cpu_maps_lock();
	for (unsigned int cpu = 1; cpu < n; cpu++) {
		err[cpu] = prepare_early(cpu);
	}
	for (unsigned int cpu = 1; cpu < n; cpu++) {
		release_early(cpu);
	}
	/*
	 * Every CPU let go is online once it arrives: its stopper must run before any
	 * stop_machine (a rollback's take-down, nosmt's cancel) can, so all are waited for
	 * and unparked before the first CPU's ONLINE states.
	 */
	for (unsigned int cpu = 1; cpu < n; cpu++) {
		if (cpuhp_state[cpu].released_early) {
			cpuhp_state[cpu].arrival = wait_arrival(cpu);
		}
	}
	for (unsigned int cpu = 1; cpu < n; cpu++) {
		if (cpuhp_state[cpu].state == CPUHP_BRINGUP_CPU - 1 || cpuhp_state[cpu].released_early) {
			err[cpu] = complete_early(cpu);
		} else if (!err[cpu]) {
			err[cpu] = cpu_up_locked(cpu, CPUHP_ONLINE);   /* says why it cannot */
		}
	}
	cpu_maps_unlock();
	for (unsigned int cpu = 1; cpu < n; cpu++) {
		report_boot_up(cpu, err[cpu]);
	}
}

void cpuhp_boot_secondaries(unsigned int max_cpus)
{
	uint64_t start = arch_time_now(), hz = log_timebase();

	/* The teardown log names each CPU's hart: CPU numbers follow the random boot hart. */
	for (unsigned int cpu = 0; cpu < nr_cpu_ids && cpuhp_trace_enabled(); cpu++) {
		long fw;
		int hs = arch_hart_status(cpus[cpu].hartid, &fw);
		char what[32];
		snprintf(what, sizeof(what), "status: %s",
			 hs < 0 ? arch_fw_err_name(fw) : arch_cpu_status_name(hs));
		cpuhp_trace_hsm(cpu, what);
	}

	if (parallel_bringup) {
		boot_parallel(max_cpus);
	} else {
		for (unsigned int cpu = 1; cpu < nr_cpu_ids && cpu < max_cpus; cpu++) {
			report_boot_up(cpu, cpu_up(cpu, CPUHP_ONLINE));
		}
	}
	uint64_t us = (arch_time_now() - start) * 1000000 / hz;
	pr_info("smp: Brought up %u of %u CPUs in %llu us\n", cpumask_weight(&cpu_online_mask),
		nr_cpu_ids, (unsigned long long)us);
}
