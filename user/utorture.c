/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * utorture OPS [SEED] [WORKERS]: the user-level torture (issue 24). WORKERS threads
 * (3 unless said) each run their share of OPS random operations, chosen by a
 * generator seeded from SEED, against two server processes it spawned, while one more
 * thread takes random CPUs offline and back through sysfs when the program holds the
 * CPU-control right (`grant utorture ...`; without it the CPUs stay, and the run says
 * so). The operations:
 *   fast     a call of 2-8 register words (w1 the nonce) waiting for ever (IPC's fast path);
 *   slow     the same with a 1 s timeout (the general path; a timeout is allowed);
 *   buffer   a call of 9-24 words through the IPC buffers;
 *   handle   a call passing a signal-only copy of the worker's notification: the server
 *            signals one bit through it, which the worker must then take;
 *   thread   a thread created to make one call and end (joined: its value);
 *   kill     a thread created to make a call the server answers late, killed in the
 *            middle (joined: 137, or 0 if its call ended first);
 *   affinity the worker moves itself to a random set of CPUs;
 *   memory   a page mapped in a 2 MiB region all workers use, written, made read-only,
 *            read back and unmapped;
 *   spawn    a process started and reaped (exit status 0).
 * Invariants, checked as it runs: every call is answered once with its own words (the
 * server's answer is a function of a nonce only that call carried), no notification bit
 * is lost, every thread's join value is one it may have, every page reads back what was
 * written. At the end: the free pages, the handle slots and the thread slots are what
 * they were before. A violation prints "utorture: VIOLATION" with the seed, the worker
 * and the operation's number; the last line says how many there were (exit 1 if any).
 * The server side: "utorture server" answers on its handle 0.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include "hp.h"
#include "hp_limits.h"

#define PAGE 4096ul
#define STACK 16384ul
#define MAX_WORKERS 8
#define BUF_WORDS (IPC_MSG_MAX - IPC_REG_WORDS)
#define REGION 0x2c00000000ul             /* the workers' shared 2 MiB region: below 192 GiB, where
                                           * map never puts a thread stack it chooses */
#define SLOTS_PER_WORKER 32

/* The server's commands: w0 (top bits: never a value a call carries otherwise). */
#define CMD(n) (0x7e57000000000000ul | (n))
#define ANSWER CMD(1)                      /* w1 the nonce: the answer is a function of it */
#define LATE   CMD(2)                      /* the same, answered 5 ms later */
#define SIGNAL CMD(3)                      /* w3 a notification handle: signal bit w1 % 62 */
#define QUIT   CMD(4)
#define MAGIC  0x9e3779b97f4a7c15ul

enum { OP_FAST, OP_SLOW, OP_BUFFER, OP_HANDLE, OP_THREAD, OP_KILL, OP_AFFINITY, OP_MEMORY,
       OP_SPAWN, NR_OPS };
static const char *const op_names[NR_OPS] = { "fast", "slow", "buffer", "handle", "thread",
					      "kill", "affinity", "memory", "spawn" };
/* Weights out of 100: the calls most, what costs a process or a thread least. */
static const unsigned int op_weight[NR_OPS] = { 30, 15, 10, 8, 6, 4, 10, 15, 2 };

static unsigned long seed;
static long nworkers, ncpus;
static long servers[2];                    /* endpoint handles */
static long violations;
static bool stop_hotplug;
static unsigned long counts[NR_OPS], timeouts, killed_mid_call, hotplug_ops, hotplug_failed;

struct worker {
	long id, ops, notify, notify_signal, tid;
	unsigned long rng;
	unsigned long buf[BUF_WORDS];
};
static struct worker workers[MAX_WORKERS];

static void violation(const struct worker *w, long op, const char *what, long a, long b)
{
	hp_printf("utorture: VIOLATION seed %lu worker %ld op %ld: %s (%ld, %ld)\n", seed,
		  w ? w->id : -1, op, what, a, b);
	__atomic_add_fetch(&violations, 1, __ATOMIC_RELAXED);
}

static void count(unsigned long *c)
{
	__atomic_add_fetch(c, 1, __ATOMIC_RELAXED);
}

/* xorshift64*: the operations a seed gives are the same every run. */
static unsigned long next(unsigned long *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545f4914f6cdd1dul;
}

/* ---- the server ---- */

static unsigned long server_buf[BUF_WORDS];

/* Word i of the answer to a message whose w1 is @nonce. */
static unsigned long answer_word(unsigned long nonce, unsigned long i)
{
	return i == 0 ? nonce ^ MAGIC : nonce * (i + 1) + i;
}

static int server(void)
{
	struct hp_msg m;
	hp_ipc_buffer(server_buf, BUF_WORDS);
	long err = hp_recv(0, &m, WAIT_FOREVER);
	while (err >= 0) {
		unsigned long cmd = m.w[0], nonce = m.w[1];
		if (cmd == QUIT) {
			m.len = 1;
			m.w[0] = 0;
			hp_reply_recv(0, &m, 0);     /* answered; nobody else calls */
			return 0;
		}
		if (err == 1) {
			long h = (long)m.w[3];
			hp_notify_signal(h, 1ul << (nonce % 62));
			hp_handle_close(h);
		}
		if (cmd == LATE) {
			hp_sleep(5);
		}
		unsigned long len = m.len;
		for (unsigned long i = 0; i < len; i++) {
			unsigned long v = answer_word(nonce, i);
			if (i < IPC_REG_WORDS) {
				m.w[i] = v;
			} else {
				server_buf[i - IPC_REG_WORDS] = v;
			}
		}
		err = hp_reply_recv(0, &m, WAIT_FOREVER);
	}
	hp_printf("utorture: server: %s\n", err_name((int)err));
	return 1;
}

/* ---- the operations ---- */

/* A call of @len words (@cmd, a fresh nonce) and the check of its answer; its error. */
static long checked_call(struct worker *w, long op, long ep, unsigned long cmd, unsigned int len,
			 unsigned int ms, long pass, unsigned long *buf)
{
	unsigned long nonce = next(&w->rng) | 1;
	struct hp_msg m = { { cmd, nonce, 0, (unsigned long)pass }, 0, len };
	for (unsigned int i = 4; i < IPC_REG_WORDS && i < len; i++) {
		m.w[i] = i;
	}
	for (unsigned int i = IPC_REG_WORDS; i < len; i++) {
		buf[i - IPC_REG_WORDS] = i;
	}
	long err = pass >= 0 ? hp_call_handle(ep, &m, ms) : hp_call(ep, &m, ms);
	if (err == -ETIMEDOUT && ms != WAIT_FOREVER) {
		count(&timeouts);
		return err;
	}
	if (err < 0) {
		violation(w, op, "a call failed", err, len);
		return err;
	}
	if (m.len != len) {
		violation(w, op, "an answer of another length", (long)m.len, len);
		return 0;
	}
	for (unsigned int i = 0; i < len; i++) {
		unsigned long got = i < IPC_REG_WORDS ? m.w[i] : buf[i - IPC_REG_WORDS];
		if (got != answer_word(nonce, i)) {
			violation(w, op, "a word that is not this call's answer", i, (long)got);
			break;
		}
	}
	return 0;
}

static void op_handle(struct worker *w, long op)
{
	unsigned long saved = w->rng;
	unsigned long nonce = next(&saved) | 1;      /* the nonce checked_call will use */
	unsigned long bit = 1ul << (nonce % 62);
	if (checked_call(w, op, servers[op & 1], SIGNAL, 4, WAIT_FOREVER, w->notify_signal, w->buf)) {
		return;
	}
	long bits = hp_notify_wait(w->notify, 2000);
	if (bits < 0 || !((unsigned long)bits & bit)) {
		violation(w, op, "a notification bit lost", bits, (long)bit);
	}
}

struct one_call {
	struct worker *w;
	long op;
	unsigned long cmd;
	unsigned long buf[BUF_WORDS];
};

static long one_call_thread(void *arg)
{
	struct one_call *c = arg;
	struct worker tmp = *c->w;                  /* its own generator, its own buffer */
	tmp.rng ^= (unsigned long)c->op * MAGIC;
	long err = checked_call(&tmp, c->op, servers[c->op & 1], c->cmd, 4, WAIT_FOREVER, -1, c->buf);
	return err ? 1 : 0;
}

/* thread and kill: a thread of ours makes one call; kill ends it in the middle. */
static void op_thread(struct worker *w, long op, bool kill)
{
	static struct one_call calls[MAX_WORKERS];
	struct one_call *c = &calls[w->id];
	long stack = hp_map(0, STACK, PROT_R | PROT_W);
	if (stack < 0) {
		violation(w, op, "no stack for a thread", stack, 0);
		return;
	}
	c->w = w;
	c->op = op;
	c->cmd = kill ? LATE : ANSWER;
	long tid = hp_thread_create(one_call_thread, c, (void *)(stack + STACK));
	if (tid < 0) {
		violation(w, op, "thread_create failed", tid, 0);
		hp_unmap((uintptr_t)stack, STACK);
		return;
	}
	if (kill) {
		long h = hp_thread_handle(tid);
		hp_sleep(1);
		long err = h < 0 ? h : hp_thread_kill(h);
		if (err && err != -ESRCH) {
			violation(w, op, "thread_kill failed", err, tid);
		}
		if (h >= 0) {
			hp_handle_close(h);
		}
	}
	long value = -1;
	long err = hp_thread_join(tid, &value);
	if (err || !(value == 0 || (kill && value == 137))) {
		violation(w, op, "a thread ended with another value", err ? err : value, tid);
	}
	if (kill && value == 137) {
		count(&killed_mid_call);
	}
	hp_unmap((uintptr_t)stack, STACK);
}

static void op_affinity(struct worker *w)
{
	uint64_t mask[2] = { 0, 0 };
	unsigned long r = next(&w->rng);
	for (long cpu = 0; cpu < ncpus && cpu < 128; cpu++) {
		if (r & (1ul << (cpu % 64))) {
			mask[cpu / 64] |= 1ull << (cpu % 64);
		}
	}
	if (hp_setaffinity(mask, 2) != 0) {
		uint64_t all[2] = { ~0ull, ~0ull };   /* none of them active now: anywhere */
		hp_setaffinity(all, 2);
	}
}

static void op_memory(struct worker *w, long op)
{
	uintptr_t page = REGION + ((uintptr_t)w->id * SLOTS_PER_WORKER +
				   next(&w->rng) % SLOTS_PER_WORKER) * PAGE;
	long got = hp_map(page, PAGE, PROT_R | PROT_W);
	if (got != (long)page) {
		violation(w, op, "map", got, (long)page);
		return;
	}
	unsigned long v = next(&w->rng);
	*(volatile unsigned long *)(page + 8) = v;
	long err = hp_protect(page, PAGE, PROT_R);
	if (err) {
		violation(w, op, "protect", err, (long)page);
	} else if (*(volatile unsigned long *)(page + 8) != v) {
		violation(w, op, "a page read back other words", (long)page, 0);
	}
	err = hp_unmap(page, PAGE);
	if (err) {
		violation(w, op, "unmap", err, (long)page);
	}
}

static void op_spawn(struct worker *w, long op)
{
	char *argv[] = { "hello", "utorture" };
	int status = -1;
	long pid = hp_spawn_flags(argv, 2, SPAWN_UNPRIVILEGED);
	long err = pid < 0 ? pid : hp_wait(pid, &status);
	if (err < 0 || status != 0) {
		violation(w, op, "a spawned process did not end with 0", err < 0 ? err : status, pid);
	}
}

static long worker_main(void *arg)
{
	struct worker *w = arg;
	hp_ipc_buffer(w->buf, BUF_WORDS);
	for (long op = 0; op < w->ops; op++) {
		unsigned int r = (unsigned int)(next(&w->rng) % 100), kind = 0;
		while (r >= op_weight[kind]) {
			r -= op_weight[kind++];
		}
		count(&counts[kind]);
		long ep = servers[op & 1];
		switch (kind) {
		case OP_FAST:
			checked_call(w, op, ep, ANSWER, 2 + (unsigned int)(next(&w->rng) % (IPC_REG_WORDS - 1)),
				     WAIT_FOREVER, -1, w->buf);
			break;
		case OP_SLOW:
			checked_call(w, op, ep, ANSWER, 2 + (unsigned int)(next(&w->rng) % (IPC_REG_WORDS - 1)),
				     1000, -1, w->buf);
			break;
		case OP_BUFFER:
			checked_call(w, op, ep, ANSWER,
				     IPC_REG_WORDS + 1 + (unsigned int)(next(&w->rng) % BUF_WORDS),
				     WAIT_FOREVER, -1, w->buf);
			break;
		case OP_HANDLE:
			op_handle(w, op);
			break;
		case OP_THREAD:
		case OP_KILL:
			op_thread(w, op, kind == OP_KILL);
			break;
		case OP_AFFINITY:
			op_affinity(w);
			break;
		case OP_MEMORY:
			op_memory(w, op);
			break;
		default:
			op_spawn(w, op);
			break;
		}
	}
	return 0;
}

/* ---- CPUs going and coming, and the counts kept before and after ---- */

static long hotplug_main(void *arg)
{
	unsigned long rng = seed ^ 0x486f74706c7567ul;
	(void)arg;
	while (!__atomic_load_n(&stop_hotplug, __ATOMIC_ACQUIRE)) {
		long cpu = 1 + (long)(next(&rng) % (unsigned long)(ncpus - 1));
		long err = hp_cpu_file_write(cpu, "online", 0);
		if (!err) {
			hp_sleep(next(&rng) % 3);
			err = hp_cpu_file_write(cpu, "online", 1);
			if (err) {
				violation(NULL, (long)hotplug_ops, "a CPU did not come back online", err, cpu);
			}
		}
		hotplug_ops++;
		if (err) {
			hotplug_failed++;
		}
		hp_sleep(next(&rng) % 4);
	}
	return 0;
}

static long free_pages(void)
{
	char buf[64];
	long n = hp_sysfs_read("/sys/kernel/mm/pages", buf, sizeof(buf) - 1);
	if (n < 0) {
		return n;
	}
	buf[n] = 0;
	return strncmp(buf, "free ", 5) == 0 ? hp_number(buf + 5, NULL) : -1;
}

/* Handle slots free now: copies of @h until the table is full, then closed again. */
static long free_handles(long h)
{
	static long got[PROCESS_MAX_HANDLES];
	long n = 0;
	while (n < PROCESS_MAX_HANDLES && (got[n] = hp_handle_dup(h, IPC_RIGHT_SEND, 0)) >= 0) {
		n++;
	}
	for (long i = 0; i < n; i++) {
		hp_handle_close(got[i]);
	}
	return n;
}

static bool release_probes;

static long probe_thread(void *arg)
{
	(void)arg;
	while (!__atomic_load_n(&release_probes, __ATOMIC_ACQUIRE)) {
		hp_sleep(1);
	}
	return 0;
}

/* Thread slots free now: threads started until none more can be, then ended again. */
static long free_threads(void)
{
	static long tids[PROCESS_MAX_THREADS];
	long stacks = hp_map(0, PROCESS_MAX_THREADS * PAGE * 2, PROT_R | PROT_W);
	long n = 0;
	if (stacks < 0) {
		return stacks;
	}
	__atomic_store_n(&release_probes, false, __ATOMIC_RELEASE);
	while (n < PROCESS_MAX_THREADS &&
	       (tids[n] = hp_thread_create(probe_thread, NULL, (void *)(stacks + (n + 1) * 2 * PAGE))) >= 0) {
		n++;
	}
	__atomic_store_n(&release_probes, true, __ATOMIC_RELEASE);
	for (long i = 0; i < n; i++) {
		long value;
		hp_thread_join(tids[i], &value);
	}
	hp_unmap((uintptr_t)stacks, PROCESS_MAX_THREADS * PAGE * 2);
	return n;
}

static long online_cpus(void)
{
	char buf[64];
	long n = hp_sysfs_read("/sys/devices/system/cpu/possible", buf, sizeof(buf) - 1);
	if (n <= 0) {
		return 1;
	}
	buf[n] = 0;
	const char *dash = strchr(buf, '-');
	return dash ? hp_number(dash + 1, NULL) + 1 : 1;
}

static long spawn_server(long ep)
{
	char *argv[] = { "utorture", "server" };
	return hp_spawn_handle(argv, 2, SPAWN_UNPRIVILEGED, ep);
}

/* The torture itself, in a process of its own ("utorture run OPS SEED WORKERS"). */
static int run(int argc, char **argv)
{
	long ops = argc > 1 ? hp_arg_number(argv[1]) : -1;
	long s = argc > 2 ? hp_arg_number(argv[2]) : 1;
	nworkers = argc > 3 ? hp_arg_number(argv[3]) : 3;
	if (ops < 1 || s < 0 || nworkers < 1 || nworkers > MAX_WORKERS) {
		hp_printf("usage: utorture OPS [SEED] [WORKERS(1-%d)]\n", MAX_WORKERS);
		return 2;
	}
	seed = (unsigned long)s;
	ncpus = online_cpus();
	long probe = hp_ep_create();
	long handles_before = probe < 0 ? -1 : free_handles(probe);
	long threads_before = free_threads();

	long pids[2];
	for (int i = 0; i < 2; i++) {
		servers[i] = hp_ep_create();
		pids[i] = servers[i] < 0 ? servers[i] : spawn_server(servers[i]);
		if (pids[i] < 0) {
			hp_printf("utorture: cannot start a server: %s\n", err_name((int)pids[i]));
			return 1;
		}
	}
	long stacks = hp_map(0, (size_t)(nworkers + 1) * STACK, PROT_R | PROT_W);
	if (stacks < 0) {
		hp_printf("utorture: no stacks: %s\n", err_name((int)stacks));
		return 1;
	}
	/* CPU control (grant): a thread of ours takes CPUs down and up throughout. */
	long hp_tid = -1;
	bool control = ncpus > 1 && hp_cpu_file_write(ncpus - 1, "online", 1) == 0;
	if (control) {
		hp_tid = hp_thread_create(hotplug_main, NULL, (void *)(stacks + STACK));
	}
	uint64_t t0 = hp_uptime_us();
	for (long i = 0; i < nworkers; i++) {
		struct worker *w = &workers[i];
		w->id = i;
		w->ops = ops / nworkers + (i < ops % nworkers);
		w->rng = (seed + 1) * MAGIC + (unsigned long)i * 0x100000001b3ul;
		w->notify = hp_notify_create();
		w->notify_signal = w->notify < 0 ? -1 : hp_handle_dup(w->notify, IPC_RIGHT_SIGNAL, 0);
		w->tid = w->notify_signal < 0 ? -1 :
			 hp_thread_create(worker_main, w, (void *)(stacks + (i + 2) * STACK));
		if (w->tid < 0) {
			hp_printf("utorture: cannot start worker %ld\n", i);
			return 1;
		}
	}
	for (long i = 0; i < nworkers; i++) {
		long value;
		hp_thread_join(workers[i].tid, &value);
		hp_handle_close(workers[i].notify_signal);
		hp_handle_close(workers[i].notify);
	}
	__atomic_store_n(&stop_hotplug, true, __ATOMIC_RELEASE);
	if (hp_tid >= 0) {
		long value;
		hp_thread_join(hp_tid, &value);
	}
	uint64_t us = hp_uptime_us() - t0;
	for (int i = 0; i < 2; i++) {
		struct hp_msg quit = { { QUIT }, 0, 1 };
		int status = -1;
		hp_call(servers[i], &quit, 2000);
		hp_wait(pids[i], &status);
		hp_handle_close(servers[i]);
		if (status != 0) {
			violation(NULL, -1, "a server did not end with 0", status, i);
		}
	}
	hp_unmap((uintptr_t)stacks, (size_t)(nworkers + 1) * STACK);
	long handles_after = probe < 0 ? -1 : free_handles(probe);
	hp_handle_close(probe);
	long threads_after = free_threads();
	if (threads_before < 1 || threads_after != threads_before) {
		violation(NULL, -1, "free thread slots before and after differ", threads_before,
			  threads_after);
	}
	if (handles_after != handles_before) {
		violation(NULL, -1, "free handle slots before and after differ", handles_before,
			  handles_after);
	}
	char line[256];
	int n = 0;
	for (int k = 0; k < NR_OPS; k++) {
		n += snprintf(line + n, sizeof(line) - (size_t)n, "%s%s %lu", k ? ", " : "", op_names[k],
			      counts[k]);
	}
	hp_printf("utorture: %ld ops, seed %lu, %ld workers, %lu ms: %s\n", ops, seed, nworkers,
		  (unsigned long)(us / 1000), line);
	hp_printf("utorture: timeouts %lu, killed mid-call %lu; hotplug %s: %lu operations, %lu refused\n",
		  timeouts, killed_mid_call, control ? "on" : "off (cpuN/online refused the write)", hotplug_ops,
		  hotplug_failed);
	hp_printf("utorture: %ld violations in the run (seed %lu)\n", violations, seed);
	return violations ? 1 : 0;
}

/*
 * The pages are counted around the process that ran the torture, once it has ended:
 * inside it, the page tables its maps made stay until it ends.
 */
int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "server") == 0) {
		return server();
	}
	if (argc > 1 && strcmp(argv[1], "run") == 0) {
		return run(argc - 1, argv + 1);
	}
	long ops = argc > 1 ? hp_arg_number(argv[1]) : -1;
	long s = argc > 2 ? hp_arg_number(argv[2]) : 1;
	long workers = argc > 3 ? hp_arg_number(argv[3]) : 3;
	if (ops < 1 || s < 0 || workers < 1 || workers > MAX_WORKERS) {
		hp_printf("usage: utorture OPS [SEED] [WORKERS(1-%d)]\n", MAX_WORKERS);
		return 2;
	}
	seed = (unsigned long)s;
	char a[3][24];
	snprintf(a[0], sizeof(a[0]), "%ld", ops);
	snprintf(a[1], sizeof(a[1]), "%ld", s);
	snprintf(a[2], sizeof(a[2]), "%ld", workers);
	char *child[] = { "utorture", "run", a[0], a[1], a[2] };
	long pages_before = free_pages();
	/* Our handle 0 is the CPU-control handle when we were granted it: it passes on. */
	bool control = online_cpus() > 1 && hp_cpu_file_write(online_cpus() - 1, "online", 1) == 0;
	long pid = control ? hp_spawn_handle(child, 5, 0, 0) : hp_spawn(child, 5);
	int status = -1;
	long err = pid < 0 ? pid : hp_wait(pid, &status);
	if (err < 0) {
		hp_printf("utorture: cannot run the torture: %s\n", err_name((int)err));
		return 1;
	}
	long v = status == 0 ? 0 : status == 1 ? -1 : 1;   /* -1: it counted its own */
	if (status != 0 && status != 1) {
		violation(NULL, -1, "the torture's process ended with another status", status, pid);
	}
	hp_sleep(20);                               /* its threads' kernel stacks go */
	long pages_after = free_pages();
	if (pages_before < 0 || pages_after != pages_before) {
		violation(NULL, -1, "free pages before and after differ", pages_before, pages_after);
		v = v < 0 ? v : v + 1;
	}
	hp_printf("utorture: %s; free pages %ld before, %ld after (seed %lu)\n",
		  status == 0 && v == 0 ? "0 violations" : "violations (see above)", pages_before,
		  pages_after, seed);
	return status == 0 && v == 0 ? 0 : 1;
}
