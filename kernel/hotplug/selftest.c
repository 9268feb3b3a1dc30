/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The hotplug shell command: disable/enable, the consistency check, a stop_machine
 * round, and the torture tools (a random soak under load, the benchmark beside the
 * raw HSM floor, a flapper for reboot races).
 */
#include <string.h>
#include <stdio.h>
#include <stdlib.h>
#include "internal.h"
#include "command.h"
#include "tty.h"
#include "sched.h"
#include "smp.h"
#include "percpu.h"
#include "alloc.h"
#include "cmdline.h"
#include "log.h"
#include "err.h"
#include "arch.h"
#include "atomic.h"
#include "workqueue.h"
#include "stop_machine.h"

static uint32_t rng_state = 12345;

static uint32_t rng(void)
{
	rng_state = rng_state * 1103515245u + 12345u;
	return rng_state >> 8;
}

struct soak_load {
	bool stop;
	unsigned long calls, works_queued;
	struct completion done;
};

static void soak_hit(void *arg)
{
	atomic_add((unsigned long *)arg, 1);
}

static unsigned long soak_hits;

static void soak_work_fn(struct work *w)
{
	kfree(w);
}

/* Keeps cross-calls and deferred work flowing to every online CPU during the soak. */
static void soak_load_fn(void *arg)
{
	struct soak_load *l = arg;
	while (!READ_ONCE(l->stop)) {
		preempt_disable();
		l->calls += (unsigned long)smp_call_function_many(&cpu_online_mask, soak_hit,
								  &soak_hits, rng() & 1);
		preempt_enable();
		struct work *w = kmalloc(sizeof(*w));
		if (w) {
			w->fn = soak_work_fn;
			queue_work_on(rng() % nr_cpu_ids, w);
			l->works_queued++;
		}
		msleep(1);
	}
	complete(&l->done);
}

/* ---- the background load, shared with the torture (internal.h) ---- */

static struct soak_load load;
static unsigned long load_offline_before, load_raced_before;
static struct workqueue_stats load_work_before;

int hotplug_load_start(void)
{
	load_offline_before = smp_offline_ipi_count;
	load_raced_before = smp_call_raced_offline;
	workqueue_get_stats(&load_work_before);
	load.stop = false;
	load.calls = 0;
	completion_init(&load.done);
	return kthread_run(soak_load_fn, &load, "soakload") ? 0 : -ENOMEM;
}

void hotplug_load_stop(struct hotplug_load_stats *out)
{
	struct workqueue_stats after;

	WRITE_ONCE(load.stop, true);
	wait_for_completion(&load.done);
	out->not_stopped = 0;
	for (unsigned int cpu = 0; cpu < nr_cpu_ids; cpu++) {
		long fw;
		if (!cpu_online(cpu) && arch_hart_status(cpus[cpu].hartid, &fw) != ARCH_CPU_STOPPED) {
			out->not_stopped++;
		}
	}
	/* Let the last deferred items run before counting. */
	for (int i = 0; i < 1000; i++) {
		workqueue_get_stats(&after);
		if (after.executed - load_work_before.executed == after.queued - load_work_before.queued) {
			break;
		}
		msleep(1);
	}
	out->calls = load.calls;
	out->offline_ipis = smp_offline_ipi_count - load_offline_before;
	out->raced = smp_call_raced_offline - load_raced_before;
	out->queued = after.queued - load_work_before.queued;
	out->executed = after.executed - load_work_before.executed;
	out->handed_over = after.handed_over - load_work_before.handed_over;
}

static int hotplug_soak(unsigned long ops)
{
	struct hotplug_load_stats ls;
	unsigned long failed = 0;

	if (nr_cpu_ids < 2) {
		return shell_fail("hotplug", "soak", -ENODEV);
	}
	if (hotplug_load_start()) {
		return shell_fail("hotplug", "soak", -ENOMEM);
	}
	unsigned long done = 0;
	for (; done < ops && !command_interrupted(); done++) {
		unsigned int cpu = 1 + rng() % (nr_cpu_ids - 1);
		bool up = !cpu_online(cpu);
		int err = up ? cpu_up(cpu, CPUHP_ONLINE) : cpu_down(cpu, CPUHP_OFFLINE);
		if (err) {
			failed++;
			pr_err("soak: %s of CPU%u failed: %s\n", up ? "online" : "offline", cpu, err_name(err));
		}
	}
	hotplug_load_stop(&ls);
	if (done < ops) {
		console_printf("soak: interrupted (Ctrl-C) after %lu of %lu operations\n", done, ops);
	}
	console_printf("soak: %lu operations, %lu failed; %lu cross-calls, offline IPIs %lu, raced "
		       "offline %lu; work queued %lu, executed %lu, handed over %lu; offline CPUs not "
		       "STOPPED %lu\n", done, failed, ls.calls, ls.offline_ipis, ls.raced, ls.queued,
		       ls.executed, ls.handed_over, ls.not_stopped);
	return 0;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

void hotplug_sort_u64(uint64_t *v, size_t n)
{
	qsort(v, n, sizeof(*v), cmp_u64);
}

static void report(const char *what, uint64_t *v, unsigned int n, uint64_t hz)
{
	hotplug_sort_u64(v, n);
	console_printf("bench: %-8s median %6llu ns  min %6llu ns  max %6llu ns  (%u runs)\n", what,
		       (unsigned long long)(v[n / 2] * 1000000000ull / hz),
		       (unsigned long long)(v[0] * 1000000000ull / hz),
		       (unsigned long long)(v[n - 1] * 1000000000ull / hz), n);
}

/*
 * Raw SBI HSM floor: hart_start of an offline hart into a stub that stops, until
 * STOPPED. The controller either halts briefly between status reads (as the kernel's
 * own waits do; the right floor under -icount, where a spinning vCPU holds the only
 * emulation thread) or spins on them (@spin: the floor under default QEMU, where a
 * halted vCPU takes tens of microseconds of host time to wake).
 */
static uint64_t hsm_floor_once(unsigned long hartid, bool spin)
{
	long fw;
	uint64_t t0 = arch_time_now(), give_up = t0 + log_timebase();
	if (arch_hart_quiesce_start(hartid, &fw)) {
		return 0;
	}
	while (arch_hart_status(hartid, &fw) != ARCH_CPU_STOPPED) {
		if (arch_time_now() > give_up) {
			return 0;          /* reported by the caller as a failed run */
		}
		if (!spin) {
			arch_wait_brief(1);
		}
	}
	return arch_time_now() - t0;
}

/* Who runs a step's callback (the table in docs/architecture.md). */
static const char *step_runner(int slot)
{
	if (slot == CPUHP_PROFILE_KICK || slot <= CPUHP_BRINGUP_CPU || slot == CPUHP_TEARDOWN_CPU) {
		return "control";
	}
	if (cpuhp_is_atomic_state(slot)) {
		return "AP, irqs off";
	}
	return slot == CPUHP_AP_ONLINE_IDLE ? "AP idle" : "cpuhp/N";
}

static unsigned long long ticks_ns(uint64_t ticks, unsigned long runs, uint64_t hz)
{
	return (unsigned long long)(ticks * 1000000000ull / hz / runs);
}

/*
 * The per-step profile of @runs operations in one direction, in the order the steps
 * run; a step another CPU runs is indented under the control CPU's step that waits for
 * it (the kick to cpuhp/N, cpu:teardown's stop_machine, cpu:bringup). Then how much of
 * the mean operation (@total ticks over the runs) the control CPU's steps account for.
 */
static void report_steps(bool up, unsigned long runs, uint64_t total, uint64_t hz)
{
	const char *dir = up ? "up" : "down";
	uint64_t control = 0;
	for (int i = 0; i < CPUHP_PROFILE_SLOTS; i++) {
		/* down: the kick first, then the states from the top; up: from the bottom */
		int slot = up ? i : i == 0 ? CPUHP_PROFILE_KICK : CPUHP_STATE_COUNT - i;
		struct cpuhp_step_cost cost = cpuhp_profile_cost(slot, up);
		if (cost.calls == 0 || (slot != CPUHP_PROFILE_KICK &&
					cpuhp_step_empty(up, &cpuhp_steps[slot]))) {
			continue;
		}
		const char *who = step_runner(slot);
		bool top = strcmp(who, "control") == 0;
		control += top ? cost.ticks : 0;
		if (slot == CPUHP_PROFILE_KICK) {
			console_printf("bench: step %-4s  -- kick cpuhp/N (ONLINE range)    %-12s %7llu ns\n",
				       dir, who, ticks_ns(cost.ticks, runs, hz));
		} else {
			console_printf("bench: step %-4s %s%3d %-28s %-12s %7llu ns\n", dir, top ? "" : "  ",
				       slot, cpuhp_state_name(slot), who, ticks_ns(cost.ticks, runs, hz));
		}
	}
	console_printf("bench: profile %s: the control CPU's steps %llu ns of %llu ns a cpu_%s "
		       "(means); between them %llu ns\n", dir, ticks_ns(control, runs, hz),
		       ticks_ns(total, runs, hz), dir,
		       total > control ? ticks_ns(total - control, runs, hz) : 0);
}

/*
 * As many cycles again with the per-step profile on (reading the clock around every
 * callback costs time of its own, so the totals above are measured without it).
 */
static int profile_runs(unsigned int cpu, unsigned long runs, uint64_t hz)
{
	uint64_t down_sum = 0, up_sum = 0;

	cpuhp_profile_start();
	for (unsigned long i = 0; i < runs; i++) {
		uint64_t t0 = arch_time_now();
		int e1 = cpu_down(cpu, CPUHP_OFFLINE);
		uint64_t t1 = arch_time_now();
		int e2 = e1 ? 0 : cpu_up(cpu, CPUHP_ONLINE);
		uint64_t t2 = arch_time_now();
		if (e1 || e2) {
			cpuhp_profile_stop();
			return shell_fail("hotplug", "bench", e1 ? e1 : e2);
		}
		down_sum += t1 - t0;
		up_sum += t2 - t1;
	}
	cpuhp_profile_stop();
	report_steps(false, runs, down_sum, hz);
	report_steps(true, runs, up_sum, hz);
	return 0;
}

static int hotplug_bench(unsigned long runs)
{
	static uint64_t down[200], up[200], cycle[200], floor[200], spin_floor[200];
	unsigned int cpu = nr_cpu_ids - 1;
	uint64_t hz = log_timebase();

	if (nr_cpu_ids < 2 || runs > 200 || runs < 3) {
		return shell_fail("hotplug", "bench", -EINVAL);
	}
	/* Warm up: the first cycles pay for translating the code. */
	for (int i = 0; i < 3; i++) {
		if (cpu_down(cpu, CPUHP_OFFLINE) || cpu_up(cpu, CPUHP_ONLINE)) {
			return shell_fail("hotplug", "bench", -EIO);
		}
	}
	for (unsigned long i = 0; i < runs; i++) {
		uint64_t t0 = arch_time_now();
		int e1 = cpu_down(cpu, CPUHP_OFFLINE);
		uint64_t t1 = arch_time_now();
		floor[i] = hsm_floor_once(cpus[cpu].hartid, false);
		spin_floor[i] = hsm_floor_once(cpus[cpu].hartid, true);
		uint64_t t2 = arch_time_now();
		int e2 = cpu_up(cpu, CPUHP_ONLINE);
		uint64_t t3 = arch_time_now();
		if (e1 || e2 || !floor[i] || !spin_floor[i]) {
			return shell_fail("hotplug", "bench", e1 ? e1 : e2 ? e2 : -EIO);
		}
		down[i] = t1 - t0;
		up[i] = t3 - t2;
		cycle[i] = down[i] + up[i];
	}
	report("cpu_down", down, (unsigned int)runs, hz);
	report("cpu_up", up, (unsigned int)runs, hz);
	report("cycle", cycle, (unsigned int)runs, hz);
	report("hsm", floor, (unsigned int)runs, hz);
	report("hsm-spin", spin_floor, (unsigned int)runs, hz);
	uint64_t c = cycle[runs / 2], u = up[runs / 2], f = floor[runs / 2], sf = spin_floor[runs / 2];
	console_printf("bench: cycle/floor %llu.%02llu, up/floor %llu.%02llu, cycle/spin-floor "
		       "%llu.%02llu (medians; CPU%u)\n", (unsigned long long)(c / f),
		       (unsigned long long)(c * 100 / f % 100), (unsigned long long)(u / f),
		       (unsigned long long)(u * 100 / f % 100), (unsigned long long)(c / sf),
		       (unsigned long long)(c * 100 / sf % 100), cpu);
	return profile_runs(cpu, runs, hz);
}

/*
 * Flaps one CPU offline and online from a thread of its own until hotplug refuses
 * (disabled for good by reboot/poweroff), so a reboot can be raced against it.
 */
static void flap_fn(void *arg)
{
	unsigned int cpu = (unsigned int)(uintptr_t)arg;
	unsigned long ops = 0;
	int err;

	for (;;) {
		err = cpu_online(cpu) ? cpu_down(cpu, CPUHP_OFFLINE) : cpu_up(cpu, CPUHP_ONLINE);
		if (err) {
			break;
		}
		if (++ops == 1) {
			pr_info("flap: CPU%u: first operation done\n", cpu);
		}
	}
	pr_info("flap: CPU%u: %lu operations, then %s\n", cpu, ops, err_name(err));
}

static int hotplug_flap(unsigned long cpu)
{
	if (cpu >= nr_cpu_ids || !cpumask_test(&cpu_present_mask, (unsigned int)cpu)) {
		return shell_fail("hotplug", "flap", -ENODEV);
	}
	if (!kthread_run(flap_fn, (void *)(uintptr_t)cpu, "flap")) {
		return shell_fail("hotplug", "flap", -ENOMEM);
	}
	return 0;
}

/*
 * debug lockassert: kicks an online CPU's hotplug thread to the state it is in (a
 * no-op) without cpu_add_remove_lock, which cpuhp_kick_ap() requires: its assertion
 * must print a WARNING.
 */
void cpuhp_selftest_unlocked_kick(void)
{
	unsigned int cpu;

	for_each_cpu(cpu, &cpu_active_mask) {
		if (cpuhp_state[cpu].state == CPUHP_ONLINE) {
			cpuhp_kick_ap(cpu, CPUHP_ONLINE);
			return;
		}
	}
}

/* hotplug register: a dynamic ONLINE state's calls must each run on its CPU's cpuhp/N. */
static unsigned int reg_calls, reg_misplaced;

static int reg_check(unsigned int cpu)
{
	reg_calls++;
	if (this_cpu_id() != cpu || current_task() != cpuhp_state[cpu].thread) {
		pr_err("register: the call for CPU%u ran on CPU%u in %s\n", cpu, this_cpu_id(),
		       current_task()->name);
		reg_misplaced++;
	}
	return 0;
}

static int hotplug_register(void)
{
	unsigned int online = cpumask_weight(&cpu_online_mask);

	reg_calls = reg_misplaced = 0;
	int s = cpuhp_setup_state(CPUHP_AP_ONLINE_DYN, "selftest:online", reg_check, reg_check);
	if (s < 0) {
		return shell_fail("hotplug", "register", s);
	}
	unsigned int ups = reg_calls;
	int err = cpuhp_remove_state(s);
	console_printf("register: state %d: %u startups and %u teardowns for %u online CPUs, %u "
		       "not on the CPU's own hotplug thread; removed: %s\n", s, ups, reg_calls - ups,
		       online, reg_misplaced, err ? err_name(err) : "ok");
	return err || reg_misplaced ? -EIO : 0;
}

static int stop_machine_noop(void *arg)
{
	*(unsigned int *)arg = this_cpu_id();
	return 0;
}

struct stop_on_self {
	struct work work;
	unsigned int ran;
	int err;
	struct completion done;
};

/* A CPU's worker runs stop_machine for its own CPU: that CPU's stopper takes the part. */
static void stop_on_self_fn(struct work *w)
{
	struct stop_on_self *s = container_of(w, struct stop_on_self, work);
	struct cpumask self;

	cpumask_clear(&self);
	cpumask_set(&self, this_cpu_id());
	s->err = stop_machine(stop_machine_noop, &s->ran, &self);
	complete(&s->done);
}

/*
 * stop_machine twice: @fn on another CPU than the caller's (the caller takes its own
 * CPU's part itself), then on the caller's own CPU (its stopper does).
 */
static int hotplug_stopmachine(void)
{
	struct stop_on_self s = { .work.fn = stop_on_self_fn };
	struct cpumask one;
	unsigned int first = cpumask_next(&cpu_online_mask, 0), ran = ~0u;
	unsigned int cpu = cpumask_next(&cpu_online_mask, first + 1);

	cpumask_clear(&one);
	cpumask_set(&one, cpu < NR_CPUS ? cpu : first);
	int err = stop_machine(stop_machine_noop, &ran, &one);
	if (err) {
		return shell_fail("hotplug", "stopmachine", err);
	}
	console_printf("stop_machine: ran on CPU%u with %u CPUs stopped\n", ran,
		       cpumask_weight(&cpu_online_mask));
	completion_init(&s.done);
	queue_work_on(first, &s.work);
	wait_for_completion(&s.done);
	if (s.err) {
		return shell_fail("hotplug", "stopmachine", s.err);
	}
	console_printf("stop_machine: ran on CPU%u, the caller's own, with %u CPUs stopped\n",
		       s.ran, cpumask_weight(&cpu_online_mask));
	return 0;
}

static int cmd_hotplug(int argc, char **argv)
{
	unsigned long n = 0;

	if (argc == 2 && strcmp(argv[1], "disable") == 0) {
		cpu_hotplug_disable();
		return 0;
	}
	if (argc == 2 && strcmp(argv[1], "enable") == 0) {
		cpu_hotplug_enable();
		return 0;
	}
	if (argc == 2 && strcmp(argv[1], "check") == 0) {
		return cpuhp_check_consistency() ? -EIO : 0;
	}
	if (argc == 2 && strcmp(argv[1], "register") == 0) {
		return hotplug_register();
	}
	if (argc == 2 && strcmp(argv[1], "stopmachine") == 0) {
		return hotplug_stopmachine();
	}
	unsigned long seed = 0;
	if (argc >= 3 && argc <= 4 && strcmp(argv[1], "torture") == 0 && parse_ulong(argv[2], &n) &&
	    (argc == 3 || parse_ulong(argv[3], &seed))) {
		return hotplug_torture(n, seed, argc == 4);
	}
	if (argc == 3 && parse_ulong(argv[2], &n)) {
		if (strcmp(argv[1], "soak") == 0 && n > 0 && n <= 100000) {
			return hotplug_soak(n);
		}
		if (strcmp(argv[1], "bench") == 0) {
			return hotplug_bench(n);
		}
		if (strcmp(argv[1], "flap") == 0) {
			return hotplug_flap(n);
		}
	}
	return shell_usage("hotplug");
}
SHELL_COMMAND("hotplug",
	      "hotplug disable|enable|check|register|stopmachine|soak OPS|torture OPS [SEED]|bench RUNS|flap CPU",
	      cmd_hotplug);
