/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * threadtest basic|exit|last|kill|spin MS: threads of one process.
 *   basic  creates threads on the CPUs it may use, joins them for their values, and
 *          checks the error paths (a bad stack or entry, joining oneself or twice, one
 *          thread too many);
 *   exit   leaves spinning and sleeping threads behind and calls exit(5): the process
 *          ends at once with status 5;
 *   last   the first thread ends with thread_exit while another goes on: the process
 *          ends when the last one does, with status 0;
 *   kill   spawns "threadtest spin" and kills it: all its threads end, status 137;
 *   spin   four threads count for MS milliseconds and report the CPUs they ran on;
 *   bound CPU  (CPU control) a thread bound to CPU spins while CPU goes offline: it is
 *          held, never run elsewhere, and goes on once CPU is back; the process then
 *          exits while the thread is held on the offline CPU again, and ends.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include "hp.h"
#include "hp_limits.h"

#define STACK 16384
#define MAX_THREADS PROCESS_MAX_THREADS

static int failures;

#define expect(what, got, want) hp_expect("threadtest", &failures, what, got, want)

static char *stacks;

static void *stack_top(int i)
{
	return stacks + (size_t)(i + 1) * STACK;
}

static bool map_stacks(int n)
{
	long m = hp_map(0, (size_t)n * STACK, PROT_R | PROT_W);
	if (m < 0) {
		hp_printf("threadtest: map: %ld\n", m);
		return false;
	}
	stacks = (char *)m;
	return true;
}

static volatile unsigned long ran_on;      /* CPUs the threads ran on, a bit each */

static long summer(void *arg)
{
	long n = (long)arg, sum = 0;
	for (long i = 1; i <= n; i++) {
		sum += i;
	}
	__atomic_fetch_or(&ran_on, 1ul << (hp_getcpu() % 64), __ATOMIC_RELAXED);
	return sum;
}

static long sleeper(void *arg)
{
	hp_sleep((unsigned long)arg);
	return 0;
}

static long spinner(void *arg)
{
	volatile unsigned long *count = arg;
	for (;;) {
		(*count)++;
	}
	return 0;
}

static int basic(void)
{
	long tids[MAX_THREADS], value;
	if (!map_stacks(MAX_THREADS)) {
		return 1;
	}
	for (int i = 0; i < 4; i++) {
		tids[i] = hp_thread_create(summer, (void *)(long)(1000 * (i + 1)), stack_top(i));
		expect("create", tids[i] > 0, 1);
	}
	for (int i = 0; i < 4; i++) {
		long n = 1000 * (i + 1);
		expect("join", hp_thread_join(tids[i], &value), 0);
		expect("its value", value, n * (n + 1) / 2);
		expect("join it again", hp_thread_join(tids[i], &value), -ESRCH);
	}
	expect("join oneself", hp_thread_join(hp_getpid(), &value), -ESRCH);
	expect("join a stranger", hp_thread_join(1, &value), -ESRCH);
	expect("an unaligned stack", hp_thread_create(summer, 0, (char *)stack_top(0) - 8), -EINVAL);
	expect("a stack in the kernel", hp_thread_create(summer, 0, (void *)0x80200000ul), -EINVAL);
	expect("an entry in the kernel",
	       hp_syscall4(SYS_thread_create, 0x80200000l, (long)stack_top(0), 0, 0), -EINVAL);
	/* The first thread holds a slot: MAX_THREADS - 1 more fit, then EAGAIN. */
	for (int i = 0; i < MAX_THREADS - 1; i++) {
		tids[i] = hp_thread_create(sleeper, (void *)50l, stack_top(i));
		expect("create to the limit", tids[i] > 0, 1);
	}
	expect("one thread too many", hp_thread_create(sleeper, 0, stack_top(0)), -EAGAIN);
	for (int i = 0; i < MAX_THREADS - 1; i++) {
		expect("join the sleepers", hp_thread_join(tids[i], &value), 0);
	}
	tids[0] = hp_thread_create(summer, (void *)1l, stack_top(0));
	expect("a slot is free again after a join", tids[0] > 0, 1);
	expect("join it", hp_thread_join(tids[0], &value), 0);
	if (failures) {
		return 1;
	}
	hp_printf("threadtest: basic ok (ran on cpus mask 0x%lx)\n", ran_on);
	return 0;
}

static int exits(void)
{
	static volatile unsigned long counts[3];
	if (!map_stacks(4)) {
		return 1;
	}
	for (int i = 0; i < 3; i++) {
		expect("create a spinner", hp_thread_create(spinner, (void *)&counts[i], stack_top(i)) > 0, 1);
	}
	expect("create a sleeper", hp_thread_create(sleeper, (void *)20000l, stack_top(3)) > 0, 1);
	hp_sleep(100);
	hp_exit(failures ? 1 : 5);
}

static int last(void)
{
	if (!map_stacks(1)) {
		return 1;
	}
	expect("create", hp_thread_create(sleeper, (void *)200l, stack_top(0)) > 0, 1);
	hp_thread_exit(0);
}

static int kills(void)
{
	char *spin[] = { "threadtest", "spin", "20000" };
	int status = -1;
	long pid = hp_spawn(spin, 3);
	hp_sleep(200);
	long t0 = hp_uptime_us();
	expect("kill it", hp_kill(pid), 0);
	expect("wait for it", hp_wait(pid, &status), pid);
	expect("killed status", status, 137);
	expect("ended promptly", hp_uptime_us() - t0 < 1000000, 1);
	if (failures) {
		return 1;
	}
	hp_printf("threadtest: kill ok\n");
	return 0;
}

struct spin_arg {
	long until_us;
	unsigned long count, cpus;
};

static long timed_spinner(void *arg)
{
	struct spin_arg *a = arg;
	while (hp_uptime_us() < a->until_us) {
		for (int i = 0; i < 10000; i++) {
			a->count++;
		}
		a->cpus |= 1ul << (hp_getcpu() % 64);
	}
	return 0;
}

static int spin(long ms)
{
	static struct spin_arg args[4];
	long tids[4], value;
	if (!map_stacks(4)) {
		return 1;
	}
	for (int i = 0; i < 4; i++) {
		args[i].until_us = hp_uptime_us() + ms * 1000;
		tids[i] = hp_thread_create(timed_spinner, &args[i], stack_top(i));
		expect("create", tids[i] > 0, 1);
	}
	unsigned long cpus = 0;
	for (int i = 0; i < 4; i++) {
		expect("join", hp_thread_join(tids[i], &value), 0);
		expect("it counted", args[i].count > 0, 1);
		cpus |= args[i].cpus;
	}
	if (failures) {
		return 1;
	}
	hp_printf("threadtest: spin ok: 4 threads, counts %lu %lu %lu %lu, cpus mask 0x%lx\n",
		  args[0].count, args[1].count, args[2].count, args[3].count, cpus);
	return 0;
}

static long bound_cpu;
static unsigned long bound_count, bound_elsewhere, bound_ready;

static long bound_spinner(void *arg)
{
	(void)arg;
	long err = hp_thread_bind(bound_cpu);
	__atomic_store_n(&bound_ready, err == 0 ? 1 : 2, __ATOMIC_RELEASE);
	for (;;) {
		if (hp_getcpu() != bound_cpu) {
			__atomic_fetch_add(&bound_elsewhere, 1, __ATOMIC_RELAXED);
		}
		__atomic_fetch_add(&bound_count, 1, __ATOMIC_RELAXED);
	}
	return 0;
}

static unsigned long bound_counted(void)
{
	return __atomic_load_n(&bound_count, __ATOMIC_ACQUIRE);
}

static int bound(long cpu)
{
	bound_cpu = cpu;
	expect("binding needs CPU control or a valid CPU", hp_thread_bind(9999) == -EINVAL ||
	       hp_thread_bind(9999) == -EPERM, 1);
	long stack = hp_map(0, STACK, PROT_R | PROT_W);
	long tid = hp_thread_create(bound_spinner, NULL, (void *)(stack + STACK));
	expect("create the spinner", tid > 0, 1);
	while (__atomic_load_n(&bound_ready, __ATOMIC_ACQUIRE) == 0) {
		hp_sleep(1);
	}
	expect("it bound itself", bound_ready, 1);
	hp_sleep(20);
	expect("offline its CPU while it spins", hp_cpu_file_write(cpu, "online", 0), 0);
	unsigned long held = bound_counted();
	hp_sleep(50);
	expect("  held: it does not run meanwhile", bound_counted() == held, 1);
	expect("online its CPU", hp_cpu_file_write(cpu, "online", 1), 0);
	hp_sleep(50);
	expect("  it runs again", bound_counted() > held, 1);
	expect("it never ran elsewhere", (long)__atomic_load_n(&bound_elsewhere, __ATOMIC_ACQUIRE), 0);
	expect("offline its CPU again", hp_cpu_file_write(cpu, "online", 0), 0);
	hp_printf("threadtest: bound %s; exiting with the spinner held\n", failures ? "FAILED" : "ok");
	hp_exit(failures ? 1 : 0);
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "basic";
	if (strcmp(mode, "basic") == 0) {
		return basic();
	}
	if (strcmp(mode, "exit") == 0) {
		return exits();
	}
	if (strcmp(mode, "last") == 0) {
		return last();
	}
	if (strcmp(mode, "kill") == 0) {
		return kills();
	}
	if (strcmp(mode, "spin") == 0 && argc > 2) {
		long ms = 0;
		for (const char *p = argv[2]; *p >= '0' && *p <= '9' && ms < 600000; p++) {
			ms = ms * 10 + (*p - '0');
		}
		return spin(ms);
	}
	if (strcmp(mode, "bound") == 0 && argc > 2 && argv[2][0] >= '0' && argv[2][0] <= '9') {
		return bound(argv[2][0] - '0');
	}
	hp_printf("usage: threadtest basic|exit|last|kill|spin MS|bound CPU\n");
	return 2;
}
