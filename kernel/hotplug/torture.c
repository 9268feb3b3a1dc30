/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * hotplug torture OPS [SEED], in the shape of rcutorture's torture_onoff: random CPUs
 * (CPU0 too) to random targets (intermediate states as well as offline and online),
 * some operations with a failure injected on the way, spinning tasks whose affinity
 * keeps changing, and the soak's cross-calls and deferred work underneath. Every
 * operation is judged: it succeeds and leaves the CPU at its target, or it fails with
 * the injected -EAGAIN and leaves the CPU where it started; anything else, a CPU lost
 * (marked unusable) included, is an unexpected failure, reported in one line. The seed is printed: under --icount the
 * same seed gives the same run.
 */
#include "internal.h"
#include "variant.h"
#include "command.h"
#include "tty.h"
#include "sched.h"
#include "percpu.h"
#include "alloc.h"
#include "log.h"
#include "err.h"
#include "arch.h"
#include "atomic.h"

#define SPINNERS 2
/* Latencies kept for the median: every operation, or every n-th of a longer run. */
#define LAT_SAMPLES 4096

static uint64_t seed_state;

static uint32_t trng(void)
{
	/* xorshift64*: small, and the same sequence for the same seed. */
	seed_state ^= seed_state >> 12;
	seed_state ^= seed_state << 25;
	seed_state ^= seed_state >> 27;
	return (uint32_t)((seed_state * 2685821657736338717ull) >> 32);
}

static bool spinners_stop;

/*
 * Load that moves: spins, but halts for 10 us now and then, since under -icount a
 * vCPU that never halts keeps the only emulation thread from the others.
 */
static void spinner_fn(void *arg)
{
	(void)arg;
	while (!READ_ONCE(spinners_stop)) {
		for (int i = 0; i < 2000; i++) {
			barrier();
		}
		arch_wait_brief(log_timebase() / 100000 + 1);
	}
}

/* States a target may name: every named state a CPU may stop at. */
static unsigned int valid_targets(unsigned int cpu, int *out)
{
	unsigned int n = 0;
	for (int s = CPUHP_OFFLINE; s <= CPUHP_ONLINE; s++) {
		if (cpuhp_steps[s].name && !cpuhp_is_atomic_state(s) && !cpuhp_check_down_target(cpu, s)) {
			out[n++] = s;
		}
	}
	return n;
}

/* A non-empty random subset of the active CPUs. */
static void random_mask(struct cpumask *m)
{
	unsigned int cpu;

	cpumask_clear(m);
	for_each_cpu(cpu, &cpu_active_mask) {
		if (trng() & 1) {
			cpumask_set(m, cpu);
		}
	}
	if (cpumask_empty(m)) {
		cpumask_set(m, cpumask_next(&cpu_active_mask, 0));
	}
}

struct torture_counts {
	unsigned long ok, injected, unexpected, skipped, affinity;
};

/* One operation; counts it and returns its latency in timebase ticks. */
static uint64_t one_op(struct torture_counts *n, const int *targets, unsigned int ntargets)
{
	unsigned int cpu = trng() % nr_cpu_ids;
	int from = cpuhp_state[cpu].state;
	/* Half the time a plain toggle, else any target a CPU may stop at. */
	int target = trng() & 1 ? (from == CPUHP_ONLINE ? CPUHP_OFFLINE : CPUHP_ONLINE)
				: targets[trng() % ntargets];
	bool going_down = target < from;

	/* Linux refuses (EBUSY) to take down the last online or the last active CPU. */
	bool last_online = target < CPUHP_AP_ONLINE_IDLE && cpu_online(cpu) &&
			   cpumask_weight(&cpu_online_mask) == 1;
	bool last_active = target < CPUHP_AP_ACTIVE && cpumask_test(&cpu_active_mask, cpu) &&
			   cpumask_weight(&cpu_active_mask) == 1;
	if (cpuhp_state[cpu].unusable || target == from || (going_down && (last_online || last_active))) {
		n->skipped++;           /* nothing to do, or a refusal by rule: not an operation */
		return 0;
	}
	/* One operation in four has a failure injected at a state on its way. */
	int armed = CPUHP_INVALID;
	if ((trng() & 3) == 0) {
		int lo = going_down ? target + 1 : from + 1, hi = going_down ? from : target;
		int s = lo + (int)(trng() % (unsigned int)(hi - lo + 1));
		if (cpuhp_fail_store(cpu, s) == 0) {
			armed = s;
		}
	}
	uint64_t t0 = arch_time_now();
	int err = going_down ? cpu_down(cpu, target) : cpu_up(cpu, target);
	uint64_t dt = arch_time_now() - t0;
	int now = cpuhp_state[cpu].state;

	if (cpuhp_state[cpu].fail != CPUHP_INVALID) {
		cpuhp_fail_store(cpu, CPUHP_INVALID);    /* armed where this op did not pass */
	}
	if (cpuhp_state[cpu].unusable) {
		n->unexpected++;
		pr_err("torture: CPU%u %d -> %d: lost (%s)\n", cpu, from, target, cpuhp_state[cpu].unusable);
	} else if (!err && now == target) {
		n->ok++;
	} else if (err == -EAGAIN && armed != CPUHP_INVALID && now == from) {
		n->injected++;
	} else {
		n->unexpected++;
		pr_err("torture: CPU%u %d -> %d (injected at %d): %s, left at state %d\n", cpu, from,
		       target, armed, err ? err_name(err) : "ok", now);
	}
	return dt;
}

int hotplug_torture(unsigned long ops, unsigned long seed, bool seeded)
{
	static int targets[CPUHP_STATE_COUNT];
	static uint64_t lat[LAT_SAMPLES];
	struct task *spinners[SPINNERS] = { NULL };
	struct torture_counts n = { 0 };
	struct hotplug_load_stats ls;
	uint64_t hz = log_timebase();

	if (!CPUHP_CAN_TAKE_DOWN) {
		return shell_fail("hotplug", "torture", -EPERM);   /* nothing can go down here */
	}
	if (ops == 0 || ops > 1000000) {
		return shell_usage("hotplug");
	}
	if (!seeded) {
		seed = (unsigned long)arch_time_now();
	}
	seed_state = seed ? seed : 1;
	unsigned int ntargets = valid_targets(0, targets);
	if (ntargets == 0) {
		return shell_fail("hotplug", "torture", -ENODEV);
	}
	console_printf("torture: seed %lu, %lu operations, %u CPUs, %u targets\n", seed, ops,
		       nr_cpu_ids, ntargets);
	spinners_stop = false;
	for (unsigned int i = 0; i < SPINNERS; i++) {
		spinners[i] = kthread_run(spinner_fn, NULL, "spinner");
	}
	if (hotplug_load_start()) {
		return shell_fail("hotplug", "torture", -ENOMEM);
	}
	unsigned long timed = 0, stride = (ops + LAT_SAMPLES - 1) / LAT_SAMPLES;
	uint64_t mn = ~0ull, mx = 0;
	for (unsigned long i = 0; i < ops; i++) {
		if (command_interrupted()) {
			console_printf("torture: interrupted (Ctrl-C) after %lu of %lu attempts\n", i, ops);
			break;
		}
		uint64_t dt = one_op(&n, targets, ntargets);
		if (dt) {
			mn = MIN(mn, dt);
			mx = MAX(mx, dt);
			if (i % stride == 0 && timed < LAT_SAMPLES) {
				lat[timed++] = dt;
			}
		}
		unsigned int k = trng() % (SPINNERS * 2);
		if (k < SPINNERS && spinners[k]) {
			struct cpumask m;
			random_mask(&m);
			if (sched_set_affinity(spinners[k], &m) == 0) {
				n.affinity++;
			}
		}
	}
	/*
	 * Everything back online before the work is counted: an item queued to a CPU
	 * parked at an intermediate state waits there until it comes up (or dies).
	 */
	for (unsigned int cpu = 0; cpu < nr_cpu_ids; cpu++) {
		if (!cpuhp_state[cpu].unusable && cpuhp_state[cpu].state != CPUHP_ONLINE &&
		    cpu_up(cpu, CPUHP_ONLINE)) {
			n.unexpected++;
			pr_err("torture: CPU%u did not come back online\n", cpu);
		}
	}
	hotplug_load_stop(&ls);
	WRITE_ONCE(spinners_stop, true);
	hotplug_sort_u64(lat, timed);
	uint64_t md = timed ? lat[timed / 2] : 0;
	mn = timed ? mn : 0;
	console_printf("torture: %lu attempts: %lu succeeded, %lu expected failures (injected), %lu "
		       "unexpected; %lu no-ops skipped; latency min %llu median %llu max %llu ns\n",
		       n.ok + n.injected + n.unexpected, n.ok, n.injected, n.unexpected, n.skipped,
		       (unsigned long long)(mn * 1000000000ull / hz),
		       (unsigned long long)(md * 1000000000ull / hz),
		       (unsigned long long)(mx * 1000000000ull / hz));
	console_printf("torture: %lu affinity changes; %lu cross-calls, offline IPIs %lu, raced "
		       "offline %lu; work queued %lu, executed %lu, handed over %lu; offline CPUs not "
		       "STOPPED %lu\n", n.affinity, ls.calls, ls.offline_ipis, ls.raced, ls.queued,
		       ls.executed, ls.handed_over, ls.not_stopped);
	return n.unexpected ? -EIO : 0;
}
