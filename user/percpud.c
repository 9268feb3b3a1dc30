/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * percpud run MS [CLIENTS [CPU]]: a per-CPU user-space server that takes part in CPU
 * hotplug (docs/ipc.md). Needs the CPU-control right (the shell's "grant").
 *
 * One worker thread is bound to each CPU, with a queue of work items; client threads
 * submit items over IPC for MS ms, the dispatcher thread puts each on a CPU's queue.
 * The dispatcher also serves the hotplug state user/percpud:online:
 *   teardown(N)  asks worker N to park and waits until it has (it is still allowed to
 *                run: its CPU is only inactive), then hands N's pending items to a
 *                running worker;
 *   startup(N)   makes worker N (bound to N), or lets the parked one resume.
 * A parked worker sleeps until its CPU is back; the kernel never runs a bound thread
 * elsewhere. At the end, once every item ran, the state is removed (its teardowns
 * park every worker) and the counters printed: every item submitted must have been
 * executed exactly once, on the CPU whose worker took it. With CPU (a build that
 * takes CPUs down), first a deterministic check of the handover: items left waiting
 * on CPU's queue while the workers hold off are handed over when it goes offline.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include "hp.h"
#include "hp_limits.h"

#define MAX_CPUS CONFIG_NR_CPUS
#define MAX_ITEMS (1 << 20)        /* 4 MiB of counters: a multiple of the page size */
#define STACK 16384
#define SUBMIT 1ul

struct queue {
	int lock;
	int head, tail;                 /* item ids, linked through next[]; 0: none */
	long len;
};

static struct queue q[MAX_CPUS];
static int *next;                   /* next[item]: the item after it in its queue */
static int *executed;               /* how often each item ran */
static long worker_tid[MAX_CPUS];
static long wake[MAX_CPUS];         /* each worker's notification */
static long acks;                   /* workers tell the dispatcher they parked */
/* park_req[n]: 0 (run) or the number of the park request; parked[n]: the one answered */
static unsigned long park_req[MAX_CPUS], parked[MAX_CPUS], park_gen;
static long ep, submitted, done, elsewhere, handed_over, parks, resumes, bind_errors;
static long kernel_calls, bad_calls;
static volatile bool stop;
static unsigned long hold_work;     /* the handover check: workers take no items */
static char *stacks;

static void lock(int *l)
{
	while (__atomic_exchange_n(l, 1, __ATOMIC_ACQUIRE)) {
		hp_yield();
	}
}

static void unlock(int *l)
{
	__atomic_store_n(l, 0, __ATOMIC_RELEASE);
}

static void push_locked(struct queue *qu, int item)
{
	next[item] = 0;
	if (qu->tail) {
		next[qu->tail] = item;
	} else {
		qu->head = item;
	}
	qu->tail = item;
	qu->len++;
}

static int pop(long n)
{
	lock(&q[n].lock);
	int item = q[n].head;
	if (item) {
		q[n].head = next[item];
		if (!q[n].head) {
			q[n].tail = 0;
		}
		q[n].len--;
	}
	unlock(&q[n].lock);
	return item;
}

static unsigned long load(const unsigned long *p)
{
	return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}

__attribute__((noreturn)) static long worker(void *arg)
{
	long n = (long)arg;
	if (hp_thread_bind(n) != 0) {
		__atomic_fetch_add(&bind_errors, 1, __ATOMIC_RELAXED);
	}
	for (;;) {
		unsigned long req = load(&park_req[n]);
		if (req) {
			__atomic_store_n(&parked[n], req, __ATOMIC_RELEASE);
			hp_notify_signal(acks, 1);
			while (load(&park_req[n]) == req) {
				hp_notify_wait(wake[n], WAIT_FOREVER);
			}
			continue;                   /* resumed, or asked again */
		}
		if (load(&hold_work)) {
			hp_notify_wait(wake[n], 5);
			continue;
		}
		int item = pop(n);
		if (!item) {
			hp_notify_wait(wake[n], WAIT_FOREVER);
			continue;
		}
		if (hp_getcpu() != n) {
			__atomic_fetch_add(&elsewhere, 1, __ATOMIC_RELAXED);
		}
		/* Some work, so that queues fill and a teardown finds items to hand over. */
		for (volatile int spin = 0; spin < 2000; spin++) {
		}
		__atomic_fetch_add(&executed[item], 1, __ATOMIC_RELAXED);
		__atomic_fetch_add(&done, 1, __ATOMIC_RELEASE);
	}
}

static bool running(long n)
{
	return worker_tid[n] > 0 && load(&park_req[n]) == 0;
}

/* A CPU whose worker runs, other than @not (the preferred one if it can). */
static long pick(long prefer, long not)
{
	if (prefer >= 0 && prefer < MAX_CPUS && prefer != not && running(prefer)) {
		return prefer;
	}
	for (long n = 0; n < MAX_CPUS; n++) {
		if (n != not && running(n)) {
			return n;
		}
	}
	return -1;
}

static long startup(long n)
{
	if (n >= MAX_CPUS) {
		return -ENOSPC;
	}
	if (worker_tid[n] <= 0) {
		wake[n] = hp_notify_create();
		if (wake[n] < 0) {
			return wake[n];
		}
		worker_tid[n] = hp_thread_create(worker, (void *)n, stacks + (n + 1) * STACK);
		return worker_tid[n] < 0 ? worker_tid[n] : 0;
	}
	if (load(&park_req[n])) {
		__atomic_store_n(&park_req[n], 0, __ATOMIC_RELEASE);
		hp_notify_signal(wake[n], 1);
		resumes++;
	}
	return 0;
}

static long teardown(long n)
{
	if (n >= MAX_CPUS || worker_tid[n] <= 0 || load(&park_req[n])) {
		return 0;
	}
	unsigned long req = ++park_gen;
	__atomic_store_n(&park_req[n], req, __ATOMIC_RELEASE);
	hp_notify_signal(wake[n], 1);
	while (load(&parked[n]) != req) {
		hp_notify_wait(acks, 100);
	}
	parks++;
	/* Its pending items go to a running worker; with none left they wait for N. */
	long m = pick(-1, n);
	if (m < 0) {
		return 0;
	}
	long first = n < m ? n : m, second = n < m ? m : n;
	lock(&q[first].lock);
	lock(&q[second].lock);
	for (int item = q[n].head; item;) {
		int after = next[item];
		push_locked(&q[m], item);
		handed_over++;
		item = after;
	}
	q[n].head = q[n].tail = 0;
	q[n].len = 0;
	unlock(&q[second].lock);
	unlock(&q[first].lock);
	hp_notify_signal(wake[m], 1);
	return 0;
}

/* Clients' submissions and the kernel's hotplug calls, one at a time. */
static long dispatcher(void *arg)
{
	struct hp_msg m = { { 0 }, 0, 0 };
	(void)arg;
	long err = hp_recv(ep, &m, WAIT_FOREVER);
	while (err == 0) {
		long ret;
		if (m.badge == HPSTATE_BADGE) {
			kernel_calls++;
			ret = m.w[0] == HPSTATE_STARTUP ? startup((long)m.w[1])
			      : m.w[0] == HPSTATE_TEARDOWN ? teardown((long)m.w[1]) : -EINVAL;
		} else if (m.w[0] == SUBMIT && m.w[1] > 0 && m.w[1] < MAX_ITEMS) {
			long c = pick((long)m.w[2], -1);
			ret = c < 0 ? -EAGAIN : 0;
			if (c >= 0) {
				lock(&q[c].lock);
				push_locked(&q[c], (int)m.w[1]);
				unlock(&q[c].lock);
				hp_notify_signal(wake[c], 1);
			}
		} else {
			bad_calls++;
			ret = -EINVAL;
		}
		m.w[0] = (unsigned long)ret;
		err = hp_reply_recv(ep, &m, WAIT_FOREVER);
	}
	hp_printf("percpud: dispatcher: %s\n", err_name((int)err));
	return err;
}

static long client(void *arg)
{
	long ncpu = (long)arg, refused = 0;       /* items spread over CPUs 0..ncpu-1 */
	while (!stop) {
		long item = __atomic_add_fetch(&submitted, 1, __ATOMIC_ACQ_REL);
		if (item >= MAX_ITEMS) {
			__atomic_fetch_sub(&submitted, 1, __ATOMIC_ACQ_REL);
			break;
		}
		/* Runs of 32 items to one CPU: a queue that holds some. */
		unsigned long cpu = (unsigned long)((item / 32) % ncpu);
		struct hp_msg m = { { SUBMIT, (unsigned long)item, cpu, 0 }, 0, 0 };
		long err = hp_call(ep, &m, WAIT_FOREVER);
		if (err || m.w[0]) {
			refused++;
			hp_printf("percpud: item %ld refused: %ld/%ld\n", item, err, (long)m.w[0]);
		}
	}
	return refused;
}

static long submit(unsigned long cpu)
{
	long item = __atomic_add_fetch(&submitted, 1, __ATOMIC_ACQ_REL);
	struct hp_msg m = { { SUBMIT, (unsigned long)item, cpu, 0 }, 0, 0 };
	long err = hp_call(ep, &m, WAIT_FOREVER);
	return err ? err : (long)m.w[0];
}

/*
 * With the workers holding off, CHECK_ITEMS items wait on @cpu's queue; taking @cpu
 * offline must hand exactly those to another worker (they run later, once each).
 */
#define CHECK_ITEMS 64
static bool handover_check(long cpu)
{
	long err = 0;
	__atomic_store_n(&hold_work, 1, __ATOMIC_RELEASE);
	long before = handed_over;
	for (int i = 0; i < CHECK_ITEMS && !err; i++) {
		err = submit((unsigned long)cpu);
	}
	long off = err ? err : hp_cpu_file_write(cpu, "online", 0);
	long moved = handed_over - before;
	__atomic_store_n(&hold_work, 0, __ATOMIC_RELEASE);
	for (long n = 0; n < MAX_CPUS; n++) {
		if (worker_tid[n] > 0) {
			hp_notify_signal(wake[n], 1);
		}
	}
	long on = off ? 0 : hp_cpu_file_write(cpu, "online", 1);
	hp_printf("percpud: handover check: %ld items of CPU%ld handed over (%d expected)%s\n", moved,
		  cpu, CHECK_ITEMS, err || off || on ? " - could not run it" : "");
	if (err || off || on) {
		hp_printf("percpud: submit %s, offline %s, online %s\n", err_name((int)err),
			  err_name((int)off), err_name((int)on));
	}
	return !err && !off && !on && moved == CHECK_ITEMS;
}

static int run(long ms, long nclients, long check_cpu)
{
	long tids[4], refused = 0;

	if (hp_handle_dup(0, IPC_RIGHT_CONTROL, 0) < 0) {
		hp_printf("percpud: needs the CPU-control right (run it with 'grant')\n");
		return 2;
	}
	next = (int *)hp_map(0, MAX_ITEMS * sizeof(int), PROT_R | PROT_W);
	executed = (int *)hp_map(0, MAX_ITEMS * sizeof(int), PROT_R | PROT_W);
	stacks = (char *)hp_map(0, (MAX_CPUS + 6) * STACK, PROT_R | PROT_W);
	ep = hp_ep_create();
	acks = hp_notify_create();
	if ((long)next < 0 || (long)executed < 0 || (long)stacks < 0 || ep < 0 || acks < 0) {
		hp_printf("percpud: out of memory or handles\n");
		return 1;
	}
	char *top = stacks + (MAX_CPUS + 6) * STACK;
	hp_thread_create(dispatcher, NULL, top);
	long s = hp_state_add("percpud", ep, 0, 0);
	if (s < 0) {
		hp_printf("percpud: cannot register user/percpud:online: %s (%s)\n", err_text((int)s),
			  err_name((int)s));
		return 1;
	}
	long workers = 0;
	for (long n = 0; n < MAX_CPUS; n++) {
		workers += worker_tid[n] > 0;
	}
	hp_printf("percpud: state %ld user/percpud:online, %ld workers, %ld clients for %ld ms\n", s,
		  workers, nclients, ms);
	bool checked = check_cpu < 0 || handover_check(check_cpu);
	for (long i = 0; i < nclients; i++) {
		tids[i] = hp_thread_create(client, (void *)workers, top - (i + 1) * STACK);
	}
	hp_sleep((unsigned long)ms);
	stop = true;
	for (long i = 0; i < nclients; i++) {
		long v = 0;
		hp_thread_join(tids[i], &v);
		refused += v;
	}
	/* Every item submitted runs: wait for the queues to drain (10 s at most). */
	for (int i = 0; i < 1000 && load((unsigned long *)&done) < (unsigned long)submitted; i++) {
		hp_sleep(10);
	}
	long rm = hp_state_remove(s, 0);
	long lost = 0, duplicated = 0;
	for (long i = 1; i <= submitted; i++) {
		lost += executed[i] == 0;
		duplicated += executed[i] > 1;
	}
	hp_printf("percpud: submitted %ld, executed %ld, lost %ld, duplicated %ld, ran elsewhere %ld, "
		  "refused %ld, handed over %ld, parks %ld, resumes %ld, hotplug calls %ld\n",
		  submitted, done, lost, duplicated, elsewhere, refused, handed_over, parks, resumes,
		  kernel_calls);
	bool ok = rm == 0 && lost == 0 && duplicated == 0 && elsewhere == 0 && refused == 0 &&
		  bind_errors == 0 && bad_calls == 0 && submitted > 0 && checked;
	if (rm) {
		hp_printf("percpud: removing the state: %s\n", err_name((int)rm));
	}
	if (bind_errors) {
		hp_printf("percpud: %ld workers could not bind to their CPU\n", bind_errors);
	}
	hp_printf("percpud: %s\n", ok ? "ok" : "FAILED");
	return ok ? 0 : 1;
}

int main(int argc, char **argv)
{
	long ms = argc >= 3 ? hp_arg_number(argv[2]) : -1;
	long clients = argc >= 4 ? hp_arg_number(argv[3]) : 2;
	long check = argc == 5 ? hp_arg_number(argv[4]) : -1;
	if (argc < 3 || argc > 5 || strcmp(argv[1], "run") != 0 || ms <= 0 || clients < 1 ||
	    clients > 4 || (argc == 5 && (check < 0 || check >= MAX_CPUS))) {
		hp_printf("usage: percpud run MS [CLIENTS [CPU]]  (1-4 clients, default 2; CPU: check\n"
			  "       the handover of its pending items when it goes offline first)\n");
		return 2;
	}
	return run(ms, clients, check);
}
