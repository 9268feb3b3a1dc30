/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Shell commands that exercise kernel machinery for the tests: cross-call storms,
 * single cross-calls, park/unpark, concurrent logging, deliberate faults and lock or
 * handshake misuse. The hotplug ones are in kernel/hotplug/selftest.c.
 */
#include <string.h>
#include <stdio.h>
#include "command.h"
#include "boot_handshake.h"
#include "sched.h"
#include "smp.h"
#include "percpu.h"
#include "alloc.h"
#include "cmdline.h"
#include "log.h"
#include "err.h"
#include "arch.h"
#include "atomic.h"
#include <stdlib.h>
#include "cpuhp.h"
#include "workqueue.h"
#include "stop_machine.h"

/* ---- cross-call storm ---- */

struct storm {
	unsigned int rounds;
	struct completion done;
	unsigned long sent[NR_CPUS];
	unsigned long handled[NR_CPUS];
	unsigned long refused;
};

static void storm_hit(void *arg)
{
	atomic_add((unsigned long *)arg, 1);
}

static void storm_fn(void *arg)
{
	struct storm *s = arg;
	unsigned int self = this_cpu_id(), cpu;

	for (unsigned int i = 0; i < s->rounds; i++) {
		for_each_cpu(cpu, &cpu_online_mask) {
			if (cpu == self) {
				continue;
			}
			/* Alternate waiting and fire-and-forget calls: both paths get exercised. */
			preempt_disable();
			int err = smp_call_function_single(cpu, storm_hit, &s->handled[cpu], i & 1);
			preempt_enable();
			if (err == 0) {
				atomic_add(&s->sent[cpu], 1);
			} else {
				atomic_add(&s->refused, 1);
			}
		}
	}
	complete(&s->done);
}

static int cmd_ipistorm(int argc, char **argv)
{
	unsigned long rounds = 100, sent = 0, handled = 0;
	unsigned int cpu, threads = 0;
	unsigned long offline_before = smp_offline_ipi_count, tick_before = smp_ipi_by_tick;

	if (argc > 2 || (argc == 2 && (!parse_ulong(argv[1], &rounds) || rounds == 0 ||
				       rounds > 100000))) {
		return shell_usage("ipistorm");
	}
	struct storm *s = kzalloc(sizeof(*s));
	if (!s) {
		return shell_fail("ipistorm", "state", -ENOMEM);
	}
	s->rounds = (unsigned int)rounds;
	completion_init(&s->done);
	for_each_cpu(cpu, &cpu_online_mask) {
		char name[TASK_NAME_LEN];
		snprintf(name, sizeof(name), "storm/%u", cpu);
		struct task *t = kthread_create(storm_fn, s, name);
		if (!t) {
			break;
		}
		kthread_bind(t, cpu);
		wake_up_task(t);
		threads++;
	}
	for (unsigned int i = 0; i < threads; i++) {
		wait_for_completion(&s->done);
	}
	/* Fire-and-forget calls may still be in flight: give them up to a second. */
	for (int wait = 0; wait < 1000; wait++) {
		sent = handled = 0;
		for (cpu = 0; cpu < NR_CPUS; cpu++) {
			sent += READ_ONCE(s->sent[cpu]);
			handled += READ_ONCE(s->handled[cpu]);
		}
		if (handled >= sent) {
			break;
		}
		msleep(1);
	}
	console_printf("ipistorm: %u CPUs x %lu rounds: sent %lu, handled %lu, lost %lu, refused %lu, offline IPIs %lu, "
		       "taken by the tick %lu\n", threads, rounds, sent, handled, sent > handled ? sent - handled : 0,
		       s->refused, smp_offline_ipi_count - offline_before, smp_ipi_by_tick - tick_before);
	kfree(s);
	return 0;
}
SHELL_COMMAND("ipistorm", "ipistorm [ROUNDS]", cmd_ipistorm);

static void call_hit(void *arg)
{
	*(unsigned int *)arg = this_cpu_id();
}

static int cmd_call(int argc, char **argv)
{
	unsigned long cpu;
	unsigned int ran_on = ~0u;

	if (argc != 2) {
		return shell_usage("call");
	}
	if (!parse_ulong(argv[1], &cpu) || cpu >= NR_CPUS) {
		return shell_fail("call", argv[1], -EINVAL);
	}
	preempt_disable();
	int err = smp_call_function_single((unsigned int)cpu, call_hit, &ran_on, true);
	preempt_enable();
	if (err) {
		return shell_fail("call", argv[1], err);
	}
	console_printf("call: ran on CPU%u\n", ran_on);
	return 0;
}
SHELL_COMMAND("call", "call CPU (a waiting cross-call; reports the result)", cmd_call);

/* ---- park/unpark: a bound thread stops counting while parked ---- */

static void counter_fn(void *arg)
{
	unsigned long *count = arg;
	while (!READ_ONCE(current_task()->should_stop)) {
		if (kthread_should_park()) {
			kthread_parkme();
			continue;
		}
		atomic_add(count, 1);
		msleep(1);
	}
}

static int selftest_park(void)
{
	static unsigned long count;
	unsigned int cpu = cpumask_next(&cpu_online_mask, 1);

	if (cpu >= NR_CPUS) {
		cpu = 0;
	}
	count = 0;
	struct task *t = kthread_create(counter_fn, &count, "parktest");
	if (!t) {
		return shell_fail("debug", "park", -ENOMEM);
	}
	kthread_bind(t, cpu);
	wake_up_task(t);
	msleep(30);
	kthread_park(t);
	unsigned long at_park = READ_ONCE(count);
	int state = t->state;
	msleep(30);
	unsigned long while_parked = READ_ONCE(count);
	kthread_unpark(t);
	msleep(30);
	unsigned long after = READ_ONCE(count);
	unsigned int ran_on = t->cpu;
	t->should_stop = true;
	msleep(5);
	console_printf("park: cpu %u, state when parked %s, counts %lu/%lu/%lu: %s\n", ran_on,
		       task_state_name(state), at_park, while_parked, after,
		       at_park > 0 && while_parked == at_park && after > while_parked &&
		       ran_on == cpu ? "ok" : "FAILED");
	return 0;
}

/* ---- concurrent logging: every CPU prints at once, half from interrupt context ---- */

struct flood {
	unsigned int lines;
	struct completion done;
};

static void flood_irq(void *arg)
{
	unsigned int i = (unsigned int)(uintptr_t)arg;
	pr_info("flood cpu%u line %u from irq end\n", this_cpu_id(), i);
}

static void flood_fn(void *arg)
{
	struct flood *f = arg;
	unsigned int self = this_cpu_id();
	unsigned int peer = cpumask_next(&cpu_online_mask, self + 1);

	if (peer >= NR_CPUS) {
		peer = cpumask_next(&cpu_online_mask, 0);
	}
	for (unsigned int i = 0; i < f->lines; i++) {
		pr_info("flood cpu%u line %u from task end\n", self, i);
		if (peer != self) {
			preempt_disable();
			smp_call_function_single(peer, flood_irq, (void *)(uintptr_t)i, false);
			preempt_enable();
		}
	}
	complete(&f->done);
}

static int selftest_logflood(void)
{
	static struct flood f;
	unsigned int cpu, threads = 0;

	f.lines = 50;
	completion_init(&f.done);
	for_each_cpu(cpu, &cpu_online_mask) {
		struct task *t = kthread_create(flood_fn, &f, "flood");
		if (!t) {
			break;
		}
		kthread_bind(t, cpu);
		wake_up_task(t);
		threads++;
	}
	for (unsigned int i = 0; i < threads; i++) {
		wait_for_completion(&f.done);
	}
	msleep(20);   /* let the last interrupt-context lines land */
	console_printf("logflood: %u CPUs x %u lines\n", threads, f.lines);
	return 0;
}

/* ---- task lifetime: look tasks up while they exit by themselves ---- */

static void short_fn(void *arg)
{
	(void)arg;
	for (int i = 0; i < 3; i++) {
		yield();
	}
}

/*
 * debug taskrace: short-lived tasks, each looked up by pid, moved and told to stop
 * (what taskset and kill do) over and over while it exits on another CPU. The lookup's
 * reference keeps a dying task's memory valid: a use after free would be reported.
 */
static int selftest_taskrace(void)
{
	unsigned long alive = 0, exited = 0, gone = 0;
	unsigned int next = 0;

	for (unsigned int i = 0; i < 500; i++) {
		struct task *t = kthread_create(short_fn, NULL, "short");
		if (!t) {
			return shell_fail("debug", "taskrace", -ENOMEM);
		}
		int pid = t->pid;
		wake_up_task(t);           /* from here on only the pid is ours */
		for (int k = 0; k < 16; k++) {
			struct task *f = sched_find_task(pid);
			if (!f) {
				gone++;
				break;
			}
			struct cpumask one;
			next = cpumask_next(&cpu_active_mask, next + 1);
			if (next >= NR_CPUS) {
				next = cpumask_next(&cpu_active_mask, 0);
			}
			cpumask_clear(&one);
			cpumask_set(&one, next);
			int err = sched_set_affinity(f, &one);
			WRITE_ONCE(f->should_stop, true);
			task_put(f);
			if (err == -ESRCH) {
				exited++;
			} else {
				alive++;
			}
			yield();
		}
	}
	console_printf("taskrace: 500 tasks; lookups found %lu alive, %lu exiting, %lu gone\n", alive,
		       exited, gone);
	return 0;
}

/*
 * debug ipi CPU, debug rfence CPU: a bare software interrupt or remote fence.i through
 * the firmware, whatever the CPU's state (firmware tests, the sbi.ipi= emulation).
 */
static int debug_firmware_call(const char *cmd, const char *what, int (*call)(unsigned int),
			       const char *arg)
{
	unsigned long cpu;

	if (!parse_ulong(arg, &cpu) || cpu >= nr_cpu_ids) {
		return shell_fail("debug", arg, -EINVAL);
	}
	int err = call((unsigned int)cpu);
	if (err) {
		return shell_fail(cmd, arg, err);
	}
	console_printf("debug: %s CPU%lu accepted by the firmware\n", what, cpu);
	return 0;
}

/*
 * debug ipi CPULIST (more than one CPU): one bare software interrupt to each, sent
 * together through arch_send_ipi_mask as stop_machine's batch is.
 */
static int debug_ipi_many(const char *arg)
{
	struct cpumask m;

	if (cpulist_parse(arg, &m) || cpumask_empty(&m) || cpumask_next(&m, nr_cpu_ids) < NR_CPUS) {
		return shell_fail("debug", arg, -EINVAL);
	}
	int err = arch_send_ipi_mask(&m);
	if (err) {
		return shell_fail("debug ipi", arg, err);
	}
	console_printf("debug: IPIs to CPUs %s accepted by the firmware\n", arg);
	return 0;
}

/*
 * debug lose CPU: CPU stops as one whose firmware call never returns does (a thread
 * bound there spins with interrupts off, holding nothing) and is marked lost, so that
 * what the kernel does about a lost CPU can be tested on any firmware.
 */
static void lost_fn(void *arg)
{
	arch_irq_disable();
	__atomic_store_n((bool *)arg, true, __ATOMIC_RELEASE);
	for (;;) {
	}
}

static int selftest_lose(const char *arg)
{
	static bool spinning;
	unsigned long cpu;

	if (!parse_ulong(arg, &cpu) || cpu >= nr_cpu_ids || !cpu_online((unsigned int)cpu)) {
		return shell_fail("debug lose", arg, -EINVAL);
	}
	if (cpu_lost((unsigned int)cpu) || cpumask_weight(&cpu_active_mask) < 2 ||
	    !cpumask_test(&cpu_active_mask, (unsigned int)cpu)) {
		return shell_fail("debug lose", arg, -EBUSY);     /* one CPU must go on */
	}
	struct task *t = kthread_create(lost_fn, &spinning, "lost");
	if (!t) {
		return shell_fail("debug lose", arg, -ENOMEM);
	}
	/* This command goes on elsewhere: its sleeps' timers must not be the lost CPU's. */
	struct cpumask elsewhere = cpu_active_mask;
	cpumask_unset(&elsewhere, (unsigned int)cpu);
	if (sched_set_affinity(current_task(), &elsewhere) == 0) {
		while (this_cpu_id() == cpu) {
			yield();
		}
	}
	spinning = false;
	/* Marked first: nothing new is placed there once it spins. */
	cpu_mark_lost((unsigned int)cpu, "debug lose");
	kthread_bind(t, (unsigned int)cpu);
	wake_up_task(t);
	for (unsigned int ms = 0; ms < 1000 && !__atomic_load_n(&spinning, __ATOMIC_ACQUIRE); ms++) {
		msleep(1);
	}
	console_printf("debug: CPU%lu %s\n", cpu, spinning ? "spins with interrupts off" : "never ran its thread");
	return 0;
}

static int cmd_debug(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "ipi") == 0) {
		if (strpbrk(argv[2], ",-")) {
			return debug_ipi_many(argv[2]);
		}
		return debug_firmware_call("debug ipi", "IPI to", arch_send_ipi, argv[2]);
	}
	if (argc == 3 && strcmp(argv[1], "lose") == 0) {
		return selftest_lose(argv[2]);
	}
	if (argc == 3 && strcmp(argv[1], "rfence") == 0) {
		return debug_firmware_call("debug rfence", "remote fence.i on", arch_remote_fence_i, argv[2]);
	}
	if (argc != 2) {
		return shell_usage("debug");
	}
	if (strcmp(argv[1], "atomic-sleep") == 0) {
		preempt_disable();
		msleep(1);                 /* deliberately wrong: must print the BUG line */
		preempt_enable();
		console_printf("debug: slept with preemption disabled\n");
		return 0;
	}
	if (strcmp(argv[1], "fault") == 0) {
		arch_trigger_fault();
		return 0;
	}
	if (strcmp(argv[1], "panic") == 0) {
		panic("requested from the shell");
	}
	if (strcmp(argv[1], "park") == 0) {
		return selftest_park();
	}
	if (strcmp(argv[1], "logflood") == 0) {
		return selftest_logflood();
	}
	if (strcmp(argv[1], "lockassert") == 0) {
		/* Deliberately wrong: each call must print its lock-held WARNING. */
		cpuhp_selftest_unlocked_kick();
		sched_selftest_rq_unlocked();
		/* A cross-call made preemptible (to ourselves, so it runs at once). */
		smp_call_function_single(this_cpu_id(), call_hit, &(unsigned int){ 0 }, true);
		console_printf("debug: called lock-requiring functions without their locks\n");
		return 0;
	}
	if (strcmp(argv[1], "taskrace") == 0) {
		return selftest_taskrace();
	}
	if (strcmp(argv[1], "handshake") == 0) {
		bool refused = cpu_boot_selftest_illegal(this_cpu_id());
		console_printf("debug: illegal boot-handshake move %s\n",
			       refused ? "refused, state unchanged" : "NOT refused");
		return refused ? 0 : -EIO;
	}
	return shell_usage("debug");
}
SHELL_COMMAND("debug", "debug atomic-sleep|fault|panic|park|logflood|lockassert|handshake|taskrace|ipi CPU|rfence CPU|lose CPU",
	      cmd_debug);
