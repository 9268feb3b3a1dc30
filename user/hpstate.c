/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * hpstate selftest [CPU] | serve NAME: user-space hotplug states (docs/ipc.md). Needs
 * the CPU-control right as its handle 0 (the shell's "grant").
 *   selftest      errors and rights; a state's startups and teardowns on registration
 *                 and removal, with and without calls; a registration whose startup
 *                 fails or times out (undone on the CPUs done before); multi-instance
 *                 states; a server that is killed (its state goes, without calls).
 *                 With CPU (a build that takes CPUs down) also: its offline and online
 *                 calling the server, and the rollback of an error reply, of a reply
 *                 that does not come in time, and of a failure injected on the state.
 *   serve NAME    registers user/NAME:online and answers 0 to every call, until killed.
 * Two server threads answer, so that one may stall (a timeout) while the other serves.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include "hp.h"

#define CPU_DIR "/sys/devices/system/cpu"
#define STACK 16384
#define RECS 1024

static int failures;
#define expect(what, got, want) hp_expect("hpstate", &failures, what, got, want)

/* Every call the servers got, in order. */
struct rec {
	unsigned long op, cpu, state, id, badge;
};
static struct rec recs[RECS];
static unsigned long nrecs;
/* The scripted answer: @fail_err (after @hang_ms) to op @fail_op on @fail_cpu. */
static volatile long fail_op, fail_cpu, fail_err, hang_ms;
static long ep;

static long server_thread(void *arg)
{
	struct hp_msg m = { { 0 }, 0, 0 };
	(void)arg;
	long err = hp_recv(ep, &m, WAIT_FOREVER);
	while (err == 0) {
		unsigned long n = __atomic_fetch_add(&nrecs, 1, __ATOMIC_ACQ_REL);
		if (n < RECS) {
			recs[n] = (struct rec){ m.w[0], m.w[1], m.w[2], m.w[3], m.badge };
		}
		long reply = 0;
		if ((long)m.w[0] == fail_op && (long)m.w[1] == fail_cpu) {
			if (hang_ms) {
				hp_sleep((unsigned long)hang_ms);   /* the caller gives up first */
			}
			reply = fail_err;
		}
		m.w[0] = (unsigned long)reply;
		err = hp_reply_recv(ep, &m, WAIT_FOREVER);
	}
	return err;
}

static void start_servers(void)
{
	ep = hp_ep_create();
	long stacks = hp_map(0, 2 * STACK, PROT_R | PROT_W);
	for (int i = 0; i < 2; i++) {
		hp_thread_create(server_thread, NULL, (void *)(stacks + (i + 1) * STACK));
	}
}

static unsigned long mark(void)
{
	return __atomic_load_n(&nrecs, __ATOMIC_ACQUIRE);
}

/* Calls since @from of @op (0: any) for @cpu (-1: any) of @state (-1: any) [and @id]. */
static long calls(unsigned long from, long op, long cpu, long state, long id)
{
	long n = 0;
	for (unsigned long i = from; i < mark() && i < RECS; i++) {
		const struct rec *r = &recs[i];
		if ((op == 0 || (long)r->op == op) && (cpu < 0 || (long)r->cpu == cpu) &&
		    (state < 0 || (long)r->state == state) && (id < 0 || (long)r->id == id)) {
			n++;
		}
	}
	return n;
}

/* Calls that did not come as the kernel's (its badge, a known op). */
static long strange_calls(void)
{
	long n = 0;
	for (unsigned long i = 0; i < mark() && i < RECS; i++) {
		if (recs[i].badge != HPSTATE_BADGE ||
		    (recs[i].op != HPSTATE_STARTUP && recs[i].op != HPSTATE_TEARDOWN)) {
			n++;
		}
	}
	return n;
}

static char text[8192];

static const char *read_file(const char *path)
{
	long n = hp_sysfs_read(path, text, sizeof(text) - 1);
	text[n > 0 ? n : 0] = 0;
	return text;
}

/* The number hotplug/states gives @name ("sched:active", "user/t1:online"), or -1. */
static long state_number(const char *name)
{
	char want[64];
	snprintf(want, sizeof(want), ": %s\n", name);
	const char *t = read_file(CPU_DIR "/hotplug/states");
	const char *hit = strstr(t, want);
	if (!hit) {
		return -1;
	}
	while (hit > t && hit[-1] != '\n') {
		hit--;
	}
	return hp_number(hit, NULL);
}

static long user_state(const char *name)
{
	char full[48];
	snprintf(full, sizeof(full), "user/%s:online", name);
	return state_number(full);
}

/*
 * The active CPUs (a list such as "0-2,5"): how many, and the highest. They are the
 * ones past our states; an online but inactive CPU (hotplug=false, a failed bring-up)
 * is not, and its server is never called for it.
 */
static int active_cpus(long *highest)
{
	const char *p = read_file(CPU_DIR "/active");
	int n = 0;
	*highest = -1;
	while (*p >= '0' && *p <= '9') {
		const char *end;
		long a = hp_number(p, &end), b = a;
		if (*end == '-') {
			b = hp_number(end + 1, &end);
		}
		n += (int)(b - a + 1);
		*highest = b;
		p = *end == ',' ? end + 1 : end;
	}
	return n;
}

static long cpu_file(long cpu, const char *file)
{
	char path[96];
	snprintf(path, sizeof(path), CPU_DIR "/cpu%ld/%s", cpu, file);
	return hp_number(read_file(path), NULL);
}

static void script(long op, long cpu, long err, long hang)
{
	fail_cpu = cpu;
	fail_err = err;
	hang_ms = hang;
	fail_op = op;
}

static void errors(void)
{
	expect("a name with a space", hp_state_add("a b", ep, 0, 0), -EINVAL);
	expect("an empty name", hp_state_add("", ep, 0, 0), -EINVAL);
	expect("a name too long", hp_state_add("abcdefghijklmnopqrstuvwxyz", ep, 0, 0), -EINVAL);
	expect("unknown flags", hp_state_add("t", ep, 64, 0), -EINVAL);
	expect("a timeout too long", hp_state_add("t", ep, 0, HPSTATE_TIMEOUT_MAX_MS + 1), -EINVAL);
	expect("a bad handle", hp_state_add("t", 31, 0, 0), -EBADF);
	expect("the control handle is no endpoint", hp_state_add("t", 0, 0, 0), -EINVAL);
	long recv_only = hp_handle_dup(ep, IPC_RIGHT_RECV, 0);
	expect("a handle without the send right", hp_state_add("t", recv_only, 0, 0), -EPERM);
	hp_handle_close(recv_only);
	expect("no handle carries the kernel's badge", hp_handle_dup(ep, IPC_RIGHT_SEND, HPSTATE_BADGE),
	       -EINVAL);
	expect("remove a state that is not there", hp_state_remove(9999, 0), -ENOENT);
	long active = state_number("sched:active");
	expect("sched:active is listed", active > 0, 1);
	/* One rule (docs/syscalls.md): a state that is there but not the caller's is EPERM. */
	expect("a kernel state is not the caller's", hp_state_remove(active, 0), -EPERM);
	expect("an instance of a kernel state", hp_state_instance_add(active, ep, 0), -EPERM);
	expect("an instance removed from a kernel state", hp_state_instance_remove(active, 1, 0), -EPERM);
	expect("a flag beyond 32 bits", hp_syscall3(SYS_hpstate_remove, active, 1l << 32, 0), -EINVAL);
}

/* Offline and online of @cpu with user state @s (plain) registered. */
static void hotplug_checks(long cpu, long s, long online_state, int ncpu)
{
	unsigned long m = mark();
	expect("offline the CPU", hp_cpu_file_write(cpu, "online", 0), 0);
	expect("  our teardown for it, once", calls(m, HPSTATE_TEARDOWN, cpu, s, 0), 1);
	expect("  and nothing else", calls(m, 0, -1, -1, -1), 1);
	m = mark();
	expect("online it", hp_cpu_file_write(cpu, "online", 1), 0);
	expect("  our startup for it, once", calls(m, HPSTATE_STARTUP, cpu, s, 0), 1);

	/* An error reply fails the step; the operation rolls back as for a kernel state. */
	expect("offline it again", hp_cpu_file_write(cpu, "online", 0), 0);
	script(HPSTATE_STARTUP, cpu, -EIO, 0);
	m = mark();
	expect("a startup answering -EIO fails the online", hp_cpu_file_write(cpu, "online", 1), -EIO);
	script(0, -1, 0, 0);
	expect("  the startup was called", calls(m, HPSTATE_STARTUP, cpu, s, 0), 1);
	expect("  not our teardown (the failed step is not undone)",
	       calls(m, HPSTATE_TEARDOWN, cpu, s, 0), 0);
	expect("  the CPU is offline", cpu_file(cpu, "online"), 0);
	expect("  at state 0", cpu_file(cpu, "hotplug/state"), 0);
	expect("online it", hp_cpu_file_write(cpu, "online", 1), 0);

	script(HPSTATE_TEARDOWN, cpu, -EBUSY, 0);
	m = mark();
	expect("a teardown answering -EBUSY fails the offline", hp_cpu_file_write(cpu, "online", 0), -EBUSY);
	script(0, -1, 0, 0);
	expect("  the CPU is online", cpu_file(cpu, "online"), 1);
	expect("  at state online", cpu_file(cpu, "hotplug/state"), online_state);
	expect("  no startup of ours (its teardown failed)", calls(m, HPSTATE_STARTUP, cpu, s, 0), 0);

	/* No reply in time: -ETIMEDOUT, rolled back; the late reply is dropped. */
	long t = hp_state_add("slow", ep, 0, 150);
	expect("register user/slow with a 150 ms timeout", t > 0, 1);
	expect("offline it", hp_cpu_file_write(cpu, "online", 0), 0);
	script(HPSTATE_STARTUP, cpu, 0, 400);
	m = mark();
	expect("a startup that does not answer in time fails the online",
	       hp_cpu_file_write(cpu, "online", 1), -ETIMEDOUT);
	expect("  the CPU is offline", cpu_file(cpu, "online"), 0);
	hp_sleep(500);                        /* its server comes back, answers too late */
	script(0, -1, 0, 0);
	expect("online it", hp_cpu_file_write(cpu, "online", 1), 0);
	m = mark();
	expect("remove user/slow", hp_state_remove(t, 0), 0);
	expect("  a teardown for each active CPU", calls(m, HPSTATE_TEARDOWN, -1, t, 0), ncpu);

	/* Fault injection on our state: it fails before the server is called. */
	expect("inject a failure at our state", hp_cpu_file_write(cpu, "hotplug/fail", s), 0);
	m = mark();
	expect("the offline fails with -EAGAIN", hp_cpu_file_write(cpu, "online", 0), -EAGAIN);
	expect("  without calling us", calls(m, 0, cpu, s, -1), 0);
	expect("  the CPU is online", cpu_file(cpu, "online"), 1);
	expect("the injection fired once", cpu_file(cpu, "hotplug/fail"), -1);
	expect("offline it", hp_cpu_file_write(cpu, "online", 0), 0);
	expect("inject a failure at our state", hp_cpu_file_write(cpu, "hotplug/fail", s), 0);
	m = mark();
	expect("the online fails with -EAGAIN", hp_cpu_file_write(cpu, "online", 1), -EAGAIN);
	expect("  without calling us", calls(m, 0, cpu, s, -1), 0);
	expect("  the CPU is offline", cpu_file(cpu, "online"), 0);
	expect("online it", hp_cpu_file_write(cpu, "online", 1), 0);
}

static void multi(long cpu, int ncpu)
{
	long ms = hp_state_add("multi", -1, HPSTATE_MULTI, 0);
	expect("register the multi-instance user/multi", ms > 0, 1);
	expect("  listed", user_state("multi"), ms);
	unsigned long m = mark();
	long a = hp_state_instance_add(ms, ep, 0);
	expect("add an instance", a > 0, 1);
	expect("  a startup of it for each active CPU", calls(m, HPSTATE_STARTUP, -1, ms, a), ncpu);
	m = mark();
	long b = hp_state_instance_add(ms, ep, HPSTATE_NOCALLS);
	expect("add another, without calls", b > a, 1);
	expect("  no calls", calls(m, 0, -1, -1, -1), 0);
	expect("a state with instances is not removed", hp_state_remove(ms, 0), -EBUSY);
	if (cpu >= 0) {
		m = mark();
		expect("offline the CPU", hp_cpu_file_write(cpu, "online", 0), 0);
		expect("  a teardown of each instance", calls(m, HPSTATE_TEARDOWN, cpu, ms, a) +
		       calls(m, HPSTATE_TEARDOWN, cpu, ms, b), 2);
		m = mark();
		expect("online it", hp_cpu_file_write(cpu, "online", 1), 0);
		expect("  a startup of each instance", calls(m, HPSTATE_STARTUP, cpu, ms, a) +
		       calls(m, HPSTATE_STARTUP, cpu, ms, b), 2);
	}
	m = mark();
	expect("remove the first instance", hp_state_instance_remove(ms, a, 0), 0);
	expect("  a teardown of it for each active CPU", calls(m, HPSTATE_TEARDOWN, -1, ms, a), ncpu);
	expect("  nothing for the other", calls(m, 0, -1, ms, b), 0);
	expect("remove it again", hp_state_instance_remove(ms, a, 0), -ENOENT);
	m = mark();
	expect("remove the second without calls", hp_state_instance_remove(ms, b, HPSTATE_NOCALLS), 0);
	expect("  no calls", calls(m, 0, -1, -1, -1), 0);
	expect("remove the state", hp_state_remove(ms, 0), 0);
	expect("  not listed", user_state("multi"), -1);
}

/*
 * Whether the kernel log holds @s, read a piece at a time (a traced log is long). The
 * log is a ring: while it wraps, the text under an offset moves on between two pieces,
 * so one pass can step over a line (kernel/syscall.c's klog_read says so): three
 * passes miss a line still there only if the log wraps under each of them.
 */
static bool log_has_once(const char *s)
{
	static char klog[8192 + 1];
	size_t off = 0, keep = strlen(s);
	for (;;) {
		long n = hp_klog_read(klog, sizeof(klog) - 1, off);
		if (n <= 0) {
			return false;
		}
		klog[n] = 0;
		if (strstr(klog, s)) {
			return true;
		}
		if ((size_t)n <= keep) {
			return false;
		}
		off += (size_t)n - keep;          /* overlap: a line cut by the piece is seen whole */
	}
}

static bool log_has(const char *s)
{
	for (int pass = 0; pass < 3; pass++) {
		if (log_has_once(s)) {
			return true;
		}
	}
	return false;
}

/* A server that is killed: its state goes without calls, one log line says so. */
static void server_death(long cpu)
{
	char *argv[] = { "hpstate", "serve", "doomed" };
	long pid = hp_spawn_handle(argv, 3, 0, 0);
	expect("spawn a server with CPU control", pid > 0, 1);
	long s = -1;
	/* Listed from the start of its registration; the log line says when it is done. */
	bool done = false;
	for (int i = 0; i < 200 && (s < 0 || !done); i++) {
		hp_sleep(10);
		s = user_state("doomed");
		done = log_has("user/doomed:online registered by pid");
	}
	expect("it registered user/doomed", s > 0 && done, 1);
	int status = 0;
	expect("kill it", hp_kill(pid), 0);
	expect("it ended", hp_wait(pid, &status), pid);
	expect("  killed", status, 137);
	expect("its state is gone", user_state("doomed"), -1);
	char line[96];
	snprintf(line, sizeof(line), "user/doomed:online (state %ld) removed without calls", s);
	expect("  and the log says so", log_has(line), 1);
	if (cpu >= 0) {
		expect("offline the CPU (nobody left to call)", hp_cpu_file_write(cpu, "online", 0), 0);
		expect("online it", hp_cpu_file_write(cpu, "online", 1), 0);
	}
}

static int selftest(long cpu)
{
	long highest;
	int ncpu = active_cpus(&highest);
	long online_state = state_number("online");

	if (hp_handle_dup(0, IPC_RIGHT_CONTROL, 0) < 0) {
		hp_printf("hpstate: needs the CPU-control right (run it with 'grant')\n");
		return 2;
	}
	start_servers();
	errors();

	unsigned long m = mark();
	long s = hp_state_add("t1", ep, 0, 0);
	expect("register user/t1", s > 0, 1);
	expect("  listed in hotplug/states", user_state("t1"), s);
	expect("  a startup for each active CPU", calls(m, HPSTATE_STARTUP, -1, s, 0), ncpu);
	expect("  and nothing else", calls(m, 0, -1, -1, -1), ncpu);
	expect("the name is taken", hp_state_add("t1", ep, 0, 0), -EEXIST);
	expect("a plain state takes no instances", hp_state_instance_add(s, ep, 0), -EINVAL);
	if (cpu >= 0) {
		hotplug_checks(cpu, s, online_state, ncpu);
	}
	m = mark();
	expect("remove user/t1", hp_state_remove(s, 0), 0);
	expect("  a teardown for each active CPU", calls(m, HPSTATE_TEARDOWN, -1, s, 0), ncpu);
	expect("  not listed", user_state("t1"), -1);

	m = mark();
	s = hp_state_add("quiet", ep, HPSTATE_NOCALLS, 0);
	expect("register user/quiet without calls", s > 0, 1);
	expect("remove it without calls", hp_state_remove(s, HPSTATE_NOCALLS), 0);
	expect("  no calls either way", calls(m, 0, -1, -1, -1), 0);

	/* Registration is all or nothing: a failing startup undoes the ones done. */
	script(HPSTATE_STARTUP, highest, -EIO, 0);
	m = mark();
	expect("a startup answering -EIO fails the registration", hp_state_add("bad", ep, 0, 0), -EIO);
	script(0, -1, 0, 0);
	expect("  not listed", user_state("bad"), -1);
	expect("  the CPUs before it got their teardown", calls(m, HPSTATE_TEARDOWN, -1, -1, -1),
	       ncpu - 1);
	script(HPSTATE_STARTUP, highest, 0, 400);
	m = mark();
	expect("a startup that does not answer in time fails the registration",
	       hp_state_add("late", ep, 0, 150), -ETIMEDOUT);
	expect("  not listed", user_state("late"), -1);
	expect("  the CPUs before it got their teardown", calls(m, HPSTATE_TEARDOWN, -1, -1, -1),
	       ncpu - 1);
	hp_sleep(500);
	script(0, -1, 0, 0);

	multi(cpu, ncpu);
	server_death(cpu);
	expect("every call had the kernel's badge and a known op", strange_calls(), 0);
	expect("the record kept every call", mark() <= RECS, 1);
	hp_printf("hpstate: %s (%d failed)\n", failures ? "FAILED" : "all checks passed", failures);
	return failures ? 1 : 0;
}

static int serve(const char *name)
{
	start_servers();
	long s = hp_state_add(name, ep, 0, 0);
	if (s < 0) {
		hp_printf("hpstate: cannot register user/%s:online: %s (%s)\n", name, err_text((int)s),
			  err_name((int)s));
		return 1;
	}
	hp_printf("hpstate: serving state %ld user/%s:online\n", s, name);
	for (;;) {
		hp_sleep(60000);
	}
}

int main(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "selftest") == 0 && argc <= 3) {
		return selftest(argc == 3 ? hp_arg_number(argv[2]) : -1);
	}
	if (argc == 3 && strcmp(argv[1], "serve") == 0) {
		return serve(argv[2]);
	}
	hp_printf("usage: hpstate selftest [CPU] | hpstate serve NAME\n");
	return 2;
}
