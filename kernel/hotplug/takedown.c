/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The full take-down (hotplug=true; variant.h). The ONLINE teardowns run on the CPU's own
 * hotplug thread; then the control CPU parks that thread and runs stop_machine with
 * the outgoing CPU as the active one: there, with interrupts off, online is cleared
 * and the DYING steps run (smpcfd:dying flushes queued cross-calls). Its idle task then
 * reports dead and stops the hart through SBI HSM; the control CPU waits until the
 * firmware says STOPPED before it runs the DEAD steps.
 */
#include "internal.h"
#include "variant.h"
#include "cpuhp_callbacks.h"
#include "stop_machine.h"
#include "percpu.h"
#include "smp.h"
#include "log.h"
#include "err.h"
#include "atomic.h"

#define DEAD_TIMEOUT_MS 1000

/* Runs on the outgoing CPU, inside stop_machine, interrupts off. */
static int take_cpu_down(void *arg)
{
	unsigned int cpu = (unsigned int)(uintptr_t)arg;
	struct cpuhp_cpu_state *st = &cpuhp_state[cpu];
	struct cpu *c = &cpus[cpu];

	/*
	 * Cleared under the call-queue lock: a sender that saw us online has linked its
	 * call by now, and smpcfd:dying below runs it; later senders are refused.
	 */
	raw_spin_lock(&c->call_lock);
	cpumask_unset(&cpu_online_mask, cpu);
	raw_spin_unlock(&c->call_lock);
	cpuhp_trace_mask(cpu, "online", false);
	/* DYING steps: the STARTING states' teardowns, last first. */
	for (int s = CPUHP_AP_ONLINE; s > CPUHP_BRINGUP_CPU; s--) {
		cpuhp_invoke_callback(cpu, s, false, false);
	}
	st->state = CPUHP_BRINGUP_CPU;
	stop_machine_park_self();
	return 0;
}

/* The idle task of a CPU that was taken down: report, then stop the hart. */
void cpuhp_idle_dead(void)
{
	struct cpuhp_cpu_state *st = &cpuhp_state[this_cpu_id()];

	complete(&st->done_down);
	cpuhp_trace_hsm(this_cpu_id(), "hart_stop");
	arch_cpu_stop_self();
}

static int wait_hart_stopped(unsigned int cpu)
{
	uint64_t hz = log_timebase();
	uint64_t deadline = arch_time_now() + hz * DEAD_TIMEOUT_MS / 1000;
	int status = ARCH_CPU_STATUS_UNKNOWN;
	long fw;

	/* The dying CPU reported before its hart_stop: a restart now would fail. */
	while (arch_time_now() < deadline) {
		status = arch_hart_status(cpus[cpu].hartid, &fw);
		if (status == ARCH_CPU_STOPPED) {
			cpuhp_trace_hsm(cpu, "status: STOPPED");
			return 0;
		}
		arch_wait_brief(hz / 1000000 + 1);
	}
	pr_err("CPU%u: hart %lu did not stop within %u ms (HSM status %s)\n", cpu,
	       cpus[cpu].hartid, DEAD_TIMEOUT_MS,
	       status < 0 ? arch_fw_err_name(fw) : arch_cpu_status_name(status));
	return -ETIMEDOUT;
}

int takedown_cpu(unsigned int cpu)
{
	struct cpuhp_cpu_state *st = &cpuhp_state[cpu];
	struct cpumask only;

	lockdep_assert_cpus_held();
	/* Normally cpuhp/N parked itself when it handed over to us. */
	if (!kthread_is_parked(st->thread)) {
		kthread_park(st->thread);
	}
	completion_init(&st->done_down);
	cpumask_clear(&only);
	cpumask_set(&only, cpu);
	int err = stop_machine_cpuslocked(take_cpu_down, (void *)(uintptr_t)cpu, &only);
	if (err) {
		kthread_unpark(st->thread);
		return err;
	}
	if (wait_for_completion_timeout(&st->done_down, DEAD_TIMEOUT_MS)) {
		pr_err("CPU%u: did not report dead within %u ms\n", cpu, DEAD_TIMEOUT_MS);
		cpuhp_mark_unusable(cpu, "did not report dead");
	} else if (wait_hart_stopped(cpu)) {
		cpuhp_mark_unusable(cpu, "its hart did not stop");
	}
	return 0;
}

void cpuhp_rollback_failed_up(unsigned int cpu, int prev_state, int err)
{
	struct cpuhp_cpu_state *st = &cpuhp_state[cpu];

	(void)err;
	/* With the take-down available, any failure rolls all the way back. */
	st->target = prev_state;
	st->bringup = false;
	cpuhp_run_down_nofail(cpu, prev_state);
}

int cpuhp_take_down(unsigned int cpu, int target)
{
	struct cpuhp_cpu_state *st = &cpuhp_state[cpu];
	int prev = st->state, ret = 0;

	lockdep_assert_cpus_held();
	if (st->state <= target) {
		return 0;
	}
	if (target < CPUHP_AP_ONLINE_IDLE && cpu_online(cpu) && cpumask_weight(&cpu_online_mask) == 1) {
		return -EBUSY;         /* the last online CPU stays */
	}
	st->target = target;
	st->bringup = false;
	if (st->state > CPUHP_TEARDOWN_CPU) {
		int to = MAX(target, CPUHP_TEARDOWN_CPU);
		cpuhp_trace_kick(cpu, to, prev, true, 0);
		uint64_t t0 = cpuhp_profile_enter();
		ret = cpuhp_kick_ap(cpu, to);
		cpuhp_profile_exit(CPUHP_PROFILE_KICK, false, t0);
		cpuhp_trace_kick(cpu, to, prev, false, ret);
		st->target = ret ? prev : target;
		if (ret) {
			return ret;        /* cpuhp/N rolled itself forward again */
		}
	}
	if (st->state > target) {
		ret = cpuhp_down_callbacks(cpu, target);
		if (ret) {
			/* Roll forward to where we started. */
			int at = st->state;
			if (at >= CPUHP_TEARDOWN_CPU) {
				kthread_unpark(st->thread);
				cpuhp_kick_ap(cpu, prev);
			} else {
				/*
				 * A PREPARE state's teardown (a DEAD step) failed: a failure armed
				 * while the CPU was below BRINGUP_CPU and kept since. Coming back
				 * up is a bring-up: with the target set, bringup_cpu hands the
				 * ONLINE states to cpuhp/N instead of running them here
				 * (model/rollback.pml, NO_TARGET_RESET).
				 */
				st->target = prev;
				st->bringup = true;
				cpuhp_run_up_nofail(cpu, prev);
			}
		}
	}
	return ret;
}

/*
 * Reboot and poweroff: hotplug is disabled for good, the caller moves to the reboot
 * CPU (reboot_cpu=, else the first online CPU; never a lost one), and every other CPU
 * is taken down through the hotplug path, so each hart is stopped by the firmware
 * before the reset. With a CPU lost in the firmware (lost.c) no take-down can finish:
 * the others are stopped where they are, as the build without take-down does.
 */
void cpuhp_shutdown_prepare(int reboot_cpu)
{
	struct cpumask only;
	unsigned int cpu;

	cpu_maps_lock();
	cpu_hotplug_disabled++;
	reboot_cpu = cpu_reboot_target(reboot_cpu);
	bool lost = !cpumask_empty(&cpu_lost_mask);
	cpu_maps_unlock();
	cpumask_clear(&only);
	cpumask_set(&only, (unsigned int)reboot_cpu);
	if (sched_set_affinity(current_task(), &only) == 0) {
		while (this_cpu_id() != (unsigned int)reboot_cpu) {
			yield();
		}
	}
	if (lost) {
		/* A take-down's stop_machine would wait for the lost CPU for ever. */
		pr_notice("reboot: on CPU%d, a CPU is lost in the firmware: stopping the others as they are\n",
			  reboot_cpu);
		smp_stop_others();
		return;
	}
	pr_notice("reboot: on CPU%d, taking the other CPUs down\n", reboot_cpu);
	cpu_maps_lock();
	for (cpu = 0; cpu < nr_cpu_ids; cpu++) {
		if (cpu != (unsigned int)reboot_cpu && cpuhp_state[cpu].state > CPUHP_OFFLINE) {
			int err = cpuhp_take_down(cpu, CPUHP_OFFLINE);
			if (err) {
				pr_err("reboot: CPU%u did not go down: %s\n", cpu, err_name(err));
			}
		}
	}
	cpu_maps_unlock();
}
