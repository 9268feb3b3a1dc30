/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * proctest spawn|calls|kill|orphans|bench: spawn and wait from user space. spawn runs
 * a child with arguments and checks its status and the error paths; calls checks the
 * error paths of the file-tree, log, console and privileged calls; kill ends a
 * spinning and a sleeping child; orphans starts children
 * and ends without waiting for them; bench prints the cost of one spawn+exit+wait of
 * a minimal program, and of a switch between two processes on one CPU.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "hp.h"

static int failures;

#define expect(what, got, want) hp_expect("proctest", &failures, what, got, want)

static int spawn_checks(void)
{
	char *args[] = { "fault", "exit", "7" };
	int status = -1;
	long pid = hp_spawn(args, 3);
	expect("spawn gives a pid", pid > 0, 1);
	expect("wait for it", hp_wait(pid, &status), pid);
	expect("its status", status, 7);
	char *slow[] = { "proctest", "napper" };
	pid = hp_spawn(slow, 2);
	expect("look: not ended yet", hp_wait_timeout(pid, &status, 0), 0);
	expect("wait 10 ms: not ended yet", hp_wait_timeout(-1, &status, 10), 0);
	expect("wait for any child", hp_wait(-1, &status), pid);
	expect("any, with none left", hp_wait(-1, &status), -10);
	expect("a bad spawn flag", hp_spawn_flags(args, 3, 8), -22);
	expect("wait twice", hp_wait(pid, &status), -10);
	expect("wait for a stranger", hp_wait(1, &status), -10);
	char *none[] = { "nosuch" };
	expect("no such program", hp_spawn(none, 1), -2);
	expect("no arguments", hp_spawn(args, 0), -7);
	expect("argv in the kernel", hp_spawn((char **)0x80200000ul, 1), -14);
	char *bad[] = { (char *)0x80200000ul };
	expect("a string in the kernel", hp_spawn(bad, 1), -14);
	char *ks[] = { "fault", "kread" };
	pid = hp_spawn(ks, 2);
	expect("a child that faults", hp_wait(pid, &status), pid);
	expect("its status", status, 139);
	if (failures) {
		return 1;
	}
	hp_printf("proctest: spawn ok\n");
	return 0;
}

/* What an unprivileged child gets from the privileged calls: it exits 0 if refused. */
static int unprivileged(void)
{
	char *ps[] = { "ps" };
	expect("kcmd without CPU control", hp_kcmd(ps, 1), -EPERM);
	expect("reboot", hp_reboot(REBOOT_POWEROFF), -EACCES);
	expect("setfg", hp_setfg(0), -EACCES);
	return failures ? 1 : 0;
}

static int calls(void)
{
	char buf[64], big[8192];
	char *ps_argv[] = { "ps" };
	const char *kernel = (const char *)0x80200000ul;

	expect("list a file", hp_sysfs_list("/bin/hello", buf, sizeof(buf)), -20);
	expect("list nothing", hp_sysfs_list("/nosuch", buf, sizeof(buf)), -2);
	expect("list into too little", hp_sysfs_list("/sys/kernel/commands", buf, 4), -34);
	expect("list a kernel path", hp_sysfs_list(kernel, buf, sizeof(buf)), -14);
	expect("list into the kernel", hp_sysfs_list("/", (char *)kernel, sizeof(buf)), -14);
	expect("read a directory", hp_sysfs_read("/bin", buf, sizeof(buf)), -21);
	expect("read into too little", hp_sysfs_read("/bin/hello", buf, 4), -34);
	expect("read into nothing", hp_sysfs_read("/bin/hello", buf, 0), -34);
	/* A short buffer is ERANGE whichever file it is (a cpulist's formatter says ENOSPC). */
	expect("a cpulist into one byte", hp_sysfs_read("/sys/devices/system/cpu/online", buf, 1), -34);
	expect("a cpulist into two bytes", hp_sysfs_read("/sys/devices/system/cpu/possible", buf, 2), -34);
	expect("read into the kernel", hp_sysfs_read("/bin/hello", (char *)kernel, 64), -14);
	long n = hp_sysfs_read("/sys/devices/system/cpu/online", big, sizeof(big));
	expect("read the online mask", n > 1 && big[n - 1] == '\n', 1);
	expect("write a read-only file", hp_sysfs_write("/sys/devices/system/cpu/online", "0"), -1);
	expect("write a kernel value", hp_sysfs_write("/sys/devices/system/cpu/cpu0/online", kernel), -14);
	memset(big, 'a', 300);
	big[300] = 0;
	expect("a path too long", hp_sysfs_read(big, buf, sizeof(buf)), -22);
	expect("a shown file from an offset", hp_sysfs_read_at("/bin/hello", buf, sizeof(buf), 1), -22);
	expect("a stream past its end", hp_sysfs_read_at("/sys/kernel/boot/run", buf, sizeof(buf), 1ul << 40), 0);
	expect("read the log", hp_klog_read(big, sizeof(big), 0) > 0, 1);
	expect("read past its end", hp_klog_read(big, sizeof(big), 1ul << 40), 0);
	expect("log into the kernel", hp_klog_read((char *)kernel, 64, 0), -14);
	expect("read a bad fd", hp_read(3, buf, 1), -22);
	expect("read nothing", hp_read(0, buf, 0), 0);
	expect("kcmd without CPU control", hp_kcmd(ps_argv, 1), -EPERM);
	expect("hotplug without CPU control", hp_sysfs_write("/sys/devices/system/cpu/cpu1/online", "0"), -EPERM);
	expect("smt control without CPU control", hp_sysfs_write("/sys/devices/system/cpu/smt/control", "off"), -EPERM);
	expect("reading stays open", hp_sysfs_read("/sys/devices/system/cpu/cpu1/online", buf, sizeof(buf)), 2);
	char *nokcmd[] = { "nosuchcommand" };
	expect("no such kernel command", hp_kcmd(nokcmd, 1), -38);
	expect("kcmd argv in the kernel", hp_kcmd((char **)kernel, 1), -14);
	expect("kcmd with no words", hp_kcmd(nokcmd, 0), -7);
	expect("reboot how", hp_reboot(7), -22);
	expect("write to fd 0", hp_write(0, "x", 1), -22);
	expect("write too much", hp_write(1, big, 4097), -22);
	expect("write from the kernel", hp_write(1, kernel, 4), -14);
	expect("sleep too long", hp_sleep(60001), -22);
	uint64_t mask[3] = { 0, 0, 0 };
	expect("affinity: no words", hp_setaffinity(mask, 0), -22);
	expect("affinity: three words", hp_setaffinity(mask, 3), -22);
	expect("affinity: no CPU", hp_setaffinity(mask, 2), -22);
	expect("affinity: kernel mask", hp_setaffinity((const uint64_t *)kernel, 1), -14);
	expect("affinity: read into the kernel", hp_getaffinity((uint64_t *)kernel, 1), -14);
	expect("affinity: read three words", hp_getaffinity(mask, 3), -22);
	expect("wait: a timeout past the limit", hp_syscall3(SYS_wait, -1, 0, 1l << 33), -22);
	char *child[] = { "proctest", "unprivileged" };
	int status = -1;
	long pid = hp_spawn_flags(child, 2, SPAWN_UNPRIVILEGED);
	expect("an unprivileged child", hp_wait(pid, &status), pid);
	expect("refused the privileged calls", status, 0);
	if (failures) {
		return 1;
	}
	hp_printf("proctest: calls ok\n");
	return 0;
}

/* Kills a child that spins and one that sleeps: both end at once with status 137. */
static int kills(void)
{
	char *spinner[] = { "spin", "0-3", "20000" };
	char *sleeper[] = { "proctest", "sleeper" };
	char *const *which[] = { spinner, sleeper };
	int counts[] = { 3, 2 };
	for (int k = 0; k < 2; k++) {
		int status = -1;
		long pid = hp_spawn(which[k], counts[k]);
		hp_sleep(100);
		long t0 = hp_uptime_us();
		expect("kill a child", hp_kill(pid), 0);
		expect("wait for it", hp_wait(pid, &status), pid);
		expect("killed status", status, 137);
		expect("ended promptly", hp_uptime_us() - t0 < 1000000, 1);
		expect("kill it again", hp_kill(pid), -3);
	}
	expect("kill a stranger", hp_kill(1), -3);
	if (failures) {
		return 1;
	}
	hp_printf("proctest: kill ok\n");
	return 0;
}

static int orphans(void)
{
	char *sleeper[] = { "spin", "0-3", "300" };
	char *quick[] = { "fault", "exit", "0" };
	for (int i = 0; i < 3; i++) {
		if (hp_spawn(sleeper, 3) < 0 || hp_spawn(quick, 3) < 0) {
			return 1;
		}
	}
	hp_sleep(50);                /* some children have ended by now, some not */
	hp_printf("proctest: leaving 6 children\n");
	return 0;
}

/*
 * Virtual time under -icount shift=0 is one nanosecond per guest instruction, so the
 * figures are nanoseconds of uptime: the instructions on the way, whichever hart ran
 * them, and none of the idle loop's.
 */
static int bench(void)
{
	char *args[] = { "fault", "exit", "0" };
	long best = -1;
	int status;
	for (int i = 0; i < 5; i++) {
		long t0 = hp_uptime_us();
		long pid = hp_spawn(args, 3);
		if (pid < 0 || hp_wait(pid, &status) != pid || status) {
			return 1;
		}
		long d = hp_uptime_us() - t0;
		best = best < 0 || d < best ? d : best;
	}
	hp_printf("proctest: spawn+exit+wait %ld us (best of 5)\n", best);
	/* Two processes on one CPU, yielding to each other. */
	uint64_t mask[2] = { 1ull << hp_getcpu(), 0 };
	if (hp_setaffinity(mask, 2)) {
		return 1;
	}
	char cpu[8];
	snprintf(cpu, sizeof(cpu), "%ld", hp_getcpu());
	char *y[] = { "proctest", "yielder", cpu };
	long pid = hp_spawn(y, 3);
	if (pid < 0) {
		return 1;
	}
	const long rounds = 2000;
	for (long i = 0; i < 100; i++) {
		hp_yield();              /* it starts and moves to our CPU meanwhile */
	}
	long t0 = hp_uptime_us();
	for (long i = 0; i < rounds; i++) {
		hp_yield();
	}
	long d = hp_uptime_us() - t0;
	hp_wait(pid, &status);
	hp_printf("proctest: process switch %ld ns (yield to another process, %ld rounds)\n",
		  d * 1000 / (2 * rounds), rounds);
	return 0;
}

static int yielder(const char *cpu)
{
	uint64_t mask[2] = { 1ull << atoi(cpu), 0 };
	if (hp_setaffinity(mask, 2)) {
		return 1;
	}
	for (long i = 0; i < 2300; i++) {
		hp_yield();
	}
	return 0;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "spawn";
	if (strcmp(mode, "spawn") == 0) {
		return spawn_checks();
	}
	if (strcmp(mode, "calls") == 0) {
		return calls();
	}
	if (strcmp(mode, "unprivileged") == 0) {
		return unprivileged();
	}
	if (strcmp(mode, "napper") == 0) {
		hp_sleep(100);
		return 0;
	}
	if (strcmp(mode, "orphans") == 0) {
		return orphans();
	}
	if (strcmp(mode, "bench") == 0) {
		return bench();
	}
	if (strcmp(mode, "kill") == 0) {
		return kills();
	}
	if (strcmp(mode, "sleeper") == 0) {
		hp_sleep(20000);
		return 0;
	}
	if (strcmp(mode, "yielder") == 0 && argc > 2) {
		return yielder(argv[2]);
	}
	hp_printf("usage: proctest spawn|calls|kill|orphans|bench\n");
	return 2;
}
