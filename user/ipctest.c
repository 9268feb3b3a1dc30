/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ipctest basic|notify|bench|pairs N MS|fast [CPU]: endpoints, notifications and IPC between
 * processes.
 *   basic   call/reply with a server, badges, rights that only narrow, bad handles, a
 *           handle passed in a message (a signal-only copy: the receiver can signal,
 *           not wait), messages of 8 and 20 words (registers, IPC buffers) and ones
 *           too long for the sender, the receiver or the caller (-EMSGSIZE), a
 *           process handle passed to the server, which ends the process with it, a
 *           thread handle likewise (the thread alone ends), timeouts, a server that
 *           ends holding a call (-EPIPE) and one
 *           that ends while a caller waits for a receiver (-EPIPE);
 *   notify  bits signalled by another process and by a thread are taken, none lost;
 *           polling, timeouts, rights and the kind of a handle are checked;
 *   bench   call+reply round trips between two address spaces on one CPU and on two
 *           (under --icount a nanosecond is a guest instruction);
 *   pairs   N client threads each call its own server process with a sequence number
 *           for MS ms; every reply must be the next number: none lost, none twice;
 *   fast    IPC's fast path (ipc_fast.c), on one CPU and its neighbour: messages of every
 *           length from 1 to 8 words each way, none reaching past its length, mostly
 *           by direct hand-off (/sys/kernel/ipc/fastpath counts them); a parked server
 *           killed, a parked caller whose server ends (-EPIPE), a parked server
 *           answered from another CPU (resumed from its park context).
 * The server side: "ipctest server [CPU]" answers on its handle 0.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include "hp.h"
#include "ipctest.h"

int failures;

/*
 * Replies { sum of the words, the badge, its CPU, the first word + 1 }; to ECHO, the
 * message with every word but the first one more (its buffer's too); SHRINK and GROW
 * set its IPC buffer to 2 words and back to all; LONG is answered with 20 words.
 */
static unsigned long server_buf[IPC_MSG_MAX - IPC_REG_WORDS];

static int server(long cpu)
{
	struct hp_msg m;
	if (cpu >= 0 && !hp_pin(cpu)) {
		return 1;
	}
	hp_ipc_buffer(server_buf, IPC_MSG_MAX - IPC_REG_WORDS);
	long err = hp_recv(0, &m, WAIT_FOREVER);
	while (err >= 0) {
		if (m.w[0] == QUIT) {
			return 0;                /* ends holding the call: its caller gets EPIPE */
		}
		if (err == 1 && (m.w[0] == KILLIT || m.w[0] == KILLTHREAD)) {
			long h = (long)m.w[3];
			m.w[0] = (unsigned long)(m.w[0] == KILLIT ? hp_proc_kill(h) : hp_thread_kill(h));
			m.w[1] = (unsigned long)hp_handle_close(h);
			err = hp_reply_recv(0, &m, WAIT_FOREVER);
			continue;
		}
		if (err == 1) {
			/* A notification handle came: signal through it, try to wait on it. */
			long h = (long)m.w[3];
			m.w[0] = (unsigned long)hp_notify_signal(h, 0x10);
			m.w[1] = (unsigned long)hp_notify_wait(h, 0);
			m.w[2] = h > 0;
			m.w[3] = (unsigned long)hp_handle_close(h);
			err = hp_reply_recv(0, &m, WAIT_FOREVER);
			continue;
		}
		if (m.w[0] >= ECHO && m.w[0] <= LONG) {
			/* Words beyond the length are our own registers: MARK came from a leak. */
			for (unsigned long i = m.len; i < IPC_REG_WORDS; i++) {
				if (m.w[i] == MARK) {
					m.w[0] = LEAKED;
				}
			}
			for (unsigned long i = 1; i < m.len; i++) {
				if (i < IPC_REG_WORDS) {
					m.w[i]++;
				} else {
					server_buf[i - IPC_REG_WORDS]++;
				}
			}
			if (m.w[0] == SHRINK || m.w[0] == GROW) {
				m.w[1] = (unsigned long)hp_ipc_buffer(server_buf, m.w[0] == SHRINK ? 2 :
								      IPC_MSG_MAX - IPC_REG_WORDS);
			}
			if (m.w[0] == LONG) {
				m.len = 20;
			}
			err = hp_reply_recv(0, &m, WAIT_FOREVER);
			continue;
		}
		unsigned long sum = m.w[0] + m.w[1] + m.w[2] + m.w[3];
		m.w[1] = m.badge;
		m.w[2] = (unsigned long)hp_getcpu();
		m.w[3] = m.w[0] + 1;
		m.w[0] = sum;
		err = hp_reply_recv(0, &m, WAIT_FOREVER);
	}
	hp_printf("ipctest: server: %ld\n", err);
	return 1;
}

long spawn_server(long h, long cpu)
{
	char num[16];
	snprintf(num, sizeof(num), "%ld", cpu);
	char *argv[] = { "ipctest", "server", num };
	return hp_spawn_handle(argv, 3, 0, h);
}

/* Messages of 8 words (registers only), 20 (buffered), and too long for someone. */
static unsigned long my_buf[IPC_MSG_MAX - IPC_REG_WORDS];

static void sizes(long ep)
{
	struct hp_msg m = { { ECHO, 1, 2, 3, 4, 5, 6, 7 }, 0, 8 };
	expect("an 8-word call", hp_call(ep, &m, WAIT_FOREVER), 0);
	expect("  an 8-word reply", m.len, 8);
	expect("  every word came back, one more", m.w[1] + m.w[7], 2 + 8);
	m.len = 20;
	expect("20 words without an IPC buffer", hp_call(ep, &m, WAIT_FOREVER), -EMSGSIZE);
	expect("a buffer at a bad address", hp_ipc_buffer((unsigned long *)8, 4), -EFAULT);
	expect("a buffer too big", hp_ipc_buffer(my_buf, IPC_MSG_MAX), -EINVAL);
	expect("an IPC buffer", hp_ipc_buffer(my_buf, IPC_MSG_MAX - IPC_REG_WORDS), 0);
	m = (struct hp_msg){ { ECHO, 1, 2, 3, 4, 5, 6, 7 }, 0, 20 };
	for (int i = 0; i < 12; i++) {
		my_buf[i] = 100 + (unsigned long)i;
	}
	expect("a 20-word call", hp_call(ep, &m, WAIT_FOREVER), 0);
	expect("  a 20-word reply", m.len, 20);
	expect("  its buffered words came back, one more", my_buf[0] + my_buf[11], 101 + 112);
	m.len = IPC_MSG_MAX + 1;
	expect("more than IPC_MSG_MAX words", hp_call(ep, &m, WAIT_FOREVER), -EMSGSIZE);
	m = (struct hp_msg){ { SHRINK }, 0, 4 };
	expect("the server takes 10 words from now", hp_call(ep, &m, WAIT_FOREVER), 0);
	m = (struct hp_msg){ { ECHO }, 0, 16 };
	expect("16 words to a server that takes 10", hp_call(ep, &m, 1000), -EMSGSIZE);
	m = (struct hp_msg){ { GROW }, 0, 4 };
	expect("  it still serves", hp_call(ep, &m, WAIT_FOREVER), 0);
	expect("  and takes all again", (long)m.w[1], 0);
	expect("no buffer any more", hp_ipc_buffer(NULL, 0), 0);
	m = (struct hp_msg){ { LONG }, 0, 4 };
	expect("a 20-word reply to a caller that takes 8", hp_call(ep, &m, WAIT_FOREVER), -EMSGSIZE);
	m = (struct hp_msg){ { ECHO, 1 }, 0, 2 };
	expect("  the server still serves", hp_call(ep, &m, WAIT_FOREVER), 0);
	expect("  a 2-word reply", m.len, 2);
}

/* A process named by a handle: passed to the server, which ends it with it. */
static void processes(long ep)
{
	char *spin[] = { "spin", "1", "20000" };
	int status;
	long pid = hp_spawn(spin, 3);
	expect("spawn a spinner", pid > 0, 1);
	long h = hp_proc_handle(pid);
	expect("a handle to it", h > 0, 1);
	expect("no handle to a process that is not our child", hp_proc_handle(1), -ESRCH);
	long weak = hp_handle_dup(h, 0, 0);
	expect("a copy without the control right", weak > 0, 1);
	expect("  cannot end it", hp_proc_kill(weak), -EPERM);
	long n = hp_notify_create();
	expect("a notification is no process", hp_proc_kill(n), -EINVAL);
	hp_handle_close(n);
	struct hp_msg m = { { KILLIT, 0, 0, (unsigned long)h }, 0, 0 };
	expect("pass the handle to the server", hp_call_handle(ep, &m, WAIT_FOREVER), 0);
	expect("  which ended the spinner with it", (long)m.w[0], 0);
	expect("the spinner ended", hp_wait(pid, &status), pid);
	expect("  killed", status, 137);
	expect("our handle names nobody now", hp_proc_kill(h), -ESRCH);
	hp_handle_close(weak);
	hp_handle_close(h);
}

/* A thread that waits for ever on its own endpoint, unless someone ends it. */
static long blocked(void *arg)
{
	struct hp_msg m = { { 0 }, 0, 0 };
	hp_recv((long)arg, &m, WAIT_FOREVER);
	return 5;
}

/* A thread named by a handle: passed to the server, which ends that thread alone with it. */
static void threads(long ep)
{
	long stack = hp_map(0, STACK, PROT_R | PROT_W);
	long own = hp_ep_create();
	long tid = hp_thread_create(blocked, (void *)own, (void *)(stack + STACK));
	expect("a thread", tid > 0, 1);
	expect("no handle to a thread not ours", hp_thread_handle(1), -ESRCH);
	long h = hp_thread_handle(tid);
	expect("a handle to it", h > 0, 1);
	long weak = hp_handle_dup(h, 0, 0);
	expect("a copy without the control right", weak > 0, 1);
	expect("  cannot end it", hp_thread_kill(weak), -EPERM);
	expect("a thread is no process", hp_proc_kill(h), -EINVAL);
	expect("an endpoint is no thread", hp_thread_kill(own), -EINVAL);
	struct hp_msg m = { { KILLTHREAD, 0, 0, (unsigned long)h }, 0, 0 };
	expect("pass the thread handle to the server", hp_call_handle(ep, &m, WAIT_FOREVER), 0);
	expect("  which ended the thread with it", (long)m.w[0], 0);
	long value = 0;
	expect("the thread ended", hp_thread_join(tid, &value), 0);
	expect("  as if it exited with 137", value, 137);
	expect("our handle names nobody now", hp_thread_kill(h), -ESRCH);
	expect("no handle to it any more", hp_thread_handle(tid), -ESRCH);
	hp_handle_close(weak);
	hp_handle_close(h);
	hp_handle_close(own);
	hp_unmap((uintptr_t)stack, STACK);
	/* A process whose one thread is ended by its handle ends with 137. */
	char *argv[] = { "ipctest", "selfkill" };
	int status = 0;
	long pid = hp_spawn(argv, 2);
	expect("a process that ends its only thread", hp_wait(pid, &status), pid);
	expect("  ends with 137", status, 137);
}

static int basic(void)
{
	struct hp_msg m = { { 1, 2, 3, 4 }, 0, 0 };
	int status;
	long ep = hp_ep_create();
	expect("create an endpoint", ep >= 0, 1);
	long pid = spawn_server(ep, -1);
	expect("spawn the server", pid > 0, 1);
	expect("call", hp_call(ep, &m, WAIT_FOREVER), 0);
	expect("the reply", m.w[0], 10);
	expect("no badge on the first handle", m.w[1], 0);
	long h = hp_handle_dup(ep, IPC_RIGHT_SEND, 42);
	expect("a send-only copy with a badge", h > 0, 1);
	m = (struct hp_msg){ { 5, 0, 0, 0 }, 0, 0 };
	expect("call through it", hp_call(h, &m, WAIT_FOREVER), 0);
	expect("the server saw the badge", m.w[1], 42);
	expect("recv without the right", hp_recv(h, &m, 0), -EPERM);
	expect("more rights than it has", hp_handle_dup(h, IPC_RIGHT_SEND | IPC_RIGHT_RECV, 0), -EPERM);
	expect("another badge", hp_handle_dup(h, IPC_RIGHT_SEND, 7), -EPERM);
	/* The whole rights word counts: a bit past 32 is unknown, not cut away. */
	expect("rights with bit 32 set", hp_syscall3(SYS_handle_dup, h, (1l << 32) | IPC_RIGHT_SEND, 0),
	       -EINVAL);
	expect("a right that does not exist", hp_handle_dup(ep, 16, 0), -EINVAL);
	expect("a right an endpoint handle lacks", hp_handle_dup(ep, IPC_RIGHT_CONTROL, 0), -EPERM);
	expect("no such handle", hp_call(31, &m, 0), -EBADF);
	expect("a negative handle", hp_call(-1, &m, 0), -EBADF);
	expect("past the table", hp_call(1000, &m, 0), -EBADF);
	expect("close a copy", hp_handle_close(h), 0);
	expect("close it again", hp_handle_close(h), -EBADF);
	/* A handle passed in a message: a signal-only copy of a notification. */
	long n = hp_notify_create();
	long sig_only = hp_handle_dup(n, IPC_RIGHT_SIGNAL, 0);
	m = (struct hp_msg){ { 1, 0, 0, (unsigned long)sig_only }, 0, 0 };
	expect("pass a signal-only notification handle", hp_call_handle(ep, &m, WAIT_FOREVER), 0);
	expect("  the server got a handle", m.w[2], 1);
	expect("  and signalled through it", (long)m.w[0], 0);
	expect("  but could not wait on it (rights passed as they were)", (long)m.w[1], -EPERM);
	expect("  and closed its copy", (long)m.w[3], 0);
	expect("the signal arrived", hp_notify_wait(n, 1000), 0x10);
	expect("our handle is still ours", hp_notify_signal(sig_only, 1), 0);
	m = (struct hp_msg){ { 1, 0, 0, 31 }, 0, 0 };
	expect("pass a handle we do not have", hp_call_handle(ep, &m, WAIT_FOREVER), -EBADF);
	expect("recv cannot pass one", hp_ipc_pass(SYS_ipc_recv, ep, &m, 0, IPC_PASS_HANDLE), -EINVAL);
	hp_handle_close(sig_only);
	hp_handle_close(n);
	processes(ep);
	threads(ep);
	sizes(ep);
	/* Our own endpoint, nobody sending: a receive times out. */
	long mine = hp_ep_create();
	long t0 = hp_uptime_us();
	expect("recv times out", hp_recv(mine, &m, 30), -ETIMEDOUT);
	expect("after about 30 ms", hp_uptime_us() - t0 >= 30000, 1);
	expect("send with nobody waiting, 0 ms", hp_send(mine, &m, 0), -ETIMEDOUT);
	long only_send = hp_handle_dup(mine, IPC_RIGHT_SEND, 0);
	expect("close the last receive handle", hp_handle_close(mine), 0);
	expect("nobody can receive", hp_call(only_send, &m, WAIT_FOREVER), -EPIPE);
	hp_handle_close(only_send);
	/* The server ends holding our call. */
	m = (struct hp_msg){ { QUIT, 0, 0, 0 }, 0, 0 };
	expect("a server that ends holding the call", hp_call(ep, &m, WAIT_FOREVER), -EPIPE);
	expect("it ended", hp_wait(pid, &status), pid);
	/* A caller queued for a receiver that ends: give away the only receive handle. */
	long sender = hp_handle_dup(ep, IPC_RIGHT_SEND, 0);
	char *idle[] = { "ipctest", "idle" };
	pid = hp_spawn_handle(idle, 2, 0, ep);
	expect("spawn an idler", pid > 0, 1);
	hp_handle_close(ep);
	expect("its receiver ends", hp_call(sender, &m, WAIT_FOREVER), -EPIPE);
	expect("it ended", hp_wait(pid, &status), pid);
	expect("and well", status, 0);
	hp_handle_close(sender);
	if (failures) {
		return 1;
	}
	hp_printf("ipctest: basic ok\n");
	return 0;
}

/* The signaller: sets bit 1, then bit 2 a little later, on its handle 0. */
static int signaller(void)
{
	long a = hp_notify_signal(0, 1ul << 1);
	hp_sleep(20);
	long b = hp_notify_signal(0, 1ul << 2);
	return a || b ? 1 : 0;
}

static long thread_signal(void *arg)
{
	hp_sleep(20);
	return hp_notify_signal((long)arg, 1ul << 5);
}

static int notify(void)
{
	struct hp_msg m = { { 0, 0, 0, 0 }, 0, 0 };
	int status;
	long n = hp_notify_create();
	expect("create a notification", n >= 0, 1);
	expect("nothing set yet: poll", hp_notify_wait(n, 0), -ETIMEDOUT);
	expect("signal", hp_notify_signal(n, 1ul << 0 | 1ul << 3), 0);
	expect("signal again, before anyone takes them", hp_notify_signal(n, 1ul << 3), 0);
	expect("take them", hp_notify_wait(n, 0), (1l << 0) | (1l << 3));
	expect("taken: nothing left", hp_notify_wait(n, 0), -ETIMEDOUT);
	long t0 = hp_uptime_us();
	expect("a wait times out", hp_notify_wait(n, 30), -ETIMEDOUT);
	expect("after about 30 ms", hp_uptime_us() - t0 >= 30000, 1);
	expect("no bits", hp_notify_signal(n, 0), -EINVAL);
	expect("bit 63", hp_notify_signal(n, 1ul << 63), -EINVAL);
	long sig = hp_handle_dup(n, IPC_RIGHT_SIGNAL, 0);
	expect("a signal-only copy", sig > 0, 1);
	expect("wait without the right", hp_notify_wait(sig, 0), -EPERM);
	expect("an endpoint call on it", hp_call(n, &m, 0), -EINVAL);
	long ep = hp_ep_create();
	expect("a notification wait on an endpoint", hp_notify_wait(ep, 0), -EINVAL);
	hp_handle_close(ep);
	/* Another process signals through its copy: both bits arrive, none lost. */
	char *argv[] = { "ipctest", "signaller" };
	long pid = hp_spawn_handle(argv, 2, 0, sig);
	expect("spawn the signaller", pid > 0, 1);
	unsigned long got = 0;
	while (got != (1ul << 1 | 1ul << 2)) {
		long b = hp_notify_wait(n, 2000);
		if (b < 0) {
			expect("wait for the signaller", b, 0);
			break;
		}
		got |= (unsigned long)b;
	}
	expect("it ended", hp_wait(pid, &status), pid);
	expect("and signalled both", status, 0);
	/* A thread of ours signals while we sleep in the wait. */
	long stack = hp_map(0, 16384, PROT_R | PROT_W);
	long tid = hp_thread_create(thread_signal, (void *)sig, (void *)(stack + 16384));
	expect("a thread wakes the wait", hp_notify_wait(n, WAIT_FOREVER), 1l << 5);
	long value = -1;
	expect("join it", hp_thread_join(tid, &value), 0);
	expect("its signal went through", value, 0);
	hp_handle_close(sig);
	hp_handle_close(n);
	if (failures) {
		return 1;
	}
	hp_printf("ipctest: notify ok\n");
	return 0;
}

static long round_trips(long ep, long rounds)
{
	struct hp_msg m = { { 1, 0, 0, 0 }, 0, 0 };
	for (int i = 0; i < 100; i++) {
		hp_call(ep, &m, WAIT_FOREVER);        /* the server is in place */
	}
	long t0 = hp_uptime_us();
	for (long i = 0; i < rounds; i++) {
		if (hp_call(ep, &m, WAIT_FOREVER)) {
			return -1;
		}
	}
	return (hp_uptime_us() - t0) * 1000 / rounds;
}

static int bench(void)
{
	const long rounds = 2000;
	long cpu = hp_getcpu(), other = cpu == 0 ? 1 : 0;
	int status;
	if (!hp_pin(cpu)) {
		return 1;
	}
	const char *where[] = { "same cpu", "cross cpu" };
	for (int k = 0; k < 2; k++) {
		long ep = hp_ep_create();
		long pid = spawn_server(ep, k == 0 ? cpu : other);
		if (ep < 0 || pid < 0) {
			return 1;
		}
		long ns = round_trips(ep, rounds);
		struct hp_msg quit = { { QUIT, 0, 0, 0 }, 0, 0 };
		hp_call(ep, &quit, WAIT_FOREVER);
		hp_wait(pid, &status);
		hp_handle_close(ep);
		if (ns < 0) {
			return 1;
		}
		hp_printf("ipctest: call+reply %s %ld ns (%ld rounds, two address spaces)\n", where[k], ns,
			  rounds);
	}
	return 0;
}

struct pair {
	long ep, pid, until_us;
	unsigned long calls, lost, dup, timeouts, other;
	long error;                     /* the error that ended the client, 0 if none */
	unsigned long bad_seq;          /* the first call answered with other words, 0 if none */
	struct hp_msg bad;              /* and the words that came back */
};

/* A pair's report of what went wrong: the first wrong answer and the error that ended it. */
static void report_pair(long i, const struct pair *p)
{
	if (p->bad_seq) {
		hp_printf("ipctest: pair %ld: call %lu answered %lu words { %lx %lx %lx %lx }, "
			  "expected w[3] = %lu\n", i, p->bad_seq, (unsigned long)p->bad.len,
			  p->bad.w[0], p->bad.w[1], p->bad.w[2], p->bad.w[3], p->bad_seq + 1);
	}
	if (p->error) {
		hp_printf("ipctest: pair %ld: client ended on error %ld (%s) after %lu calls\n", i,
			  p->error, err_name((int)p->error), p->calls);
	}
}

static long client(void *arg)
{
	struct pair *p = arg;
	unsigned long seq = 1;
	while (hp_uptime_us() < p->until_us) {
		struct hp_msg m = { { seq, 0, 0, 0 }, 0, 0 };
		long err = hp_call(p->ep, &m, 2000);
		if (err == -ETIMEDOUT) {
			p->timeouts++;
			continue;
		}
		if (err) {
			p->other++;
			p->error = err;
			break;
		}
		p->calls++;
		if (m.w[3] != seq + 1) {
			if (!p->bad_seq) {
				p->bad_seq = seq;
				p->bad = m;
			}
			if (m.w[3] < seq + 1) {
				p->dup++;
			} else {
				p->lost++;
			}
		}
		seq++;
	}
	return 0;
}

static int pairs(long n, long ms)
{
	static struct pair ps[8];
	long tids[8], value;
	int status;
	if (n < 1 || n > 8) {
		hp_printf("usage: ipctest pairs N(1-8) MS\n");
		return 2;
	}
	long stacks = hp_map(0, (size_t)n * STACK, PROT_R | PROT_W);
	if (stacks < 0) {
		return 1;
	}
	for (long i = 0; i < n; i++) {
		ps[i].ep = hp_ep_create();
		ps[i].pid = spawn_server(ps[i].ep, -1);
		ps[i].until_us = hp_uptime_us() + ms * 1000;
		if (ps[i].ep < 0 || ps[i].pid < 0) {
			return 1;
		}
		tids[i] = hp_thread_create(client, &ps[i], (void *)(stacks + (i + 1) * STACK));
		if (tids[i] < 0) {
			return 1;
		}
	}
	unsigned long calls = 0, lost = 0, dup = 0, timeouts = 0, other = 0;
	for (long i = 0; i < n; i++) {
		hp_thread_join(tids[i], &value);
		struct hp_msg quit = { { QUIT, 0, 0, 0 }, 0, 0 };
		hp_call(ps[i].ep, &quit, WAIT_FOREVER);
		hp_wait(ps[i].pid, &status);
		calls += ps[i].calls;
		lost += ps[i].lost;
		dup += ps[i].dup;
		timeouts += ps[i].timeouts;
		other += ps[i].other;
		report_pair(i, &ps[i]);
	}
	hp_printf("ipctest: pairs %ld: calls %lu, lost %lu, duplicated %lu, timeouts %lu, errors %lu\n", n,
		  calls, lost, dup, timeouts, other);
	return lost || dup || timeouts || other || !calls ? 1 : 0;
}

static long number(const char *s)
{
	long v = 0;
	for (; *s >= '0' && *s <= '9' && v < 10000000; s++) {
		v = v * 10 + (*s - '0');
	}
	return v;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "basic";
	if (strcmp(mode, "basic") == 0) {
		return basic();
	}
	if (strcmp(mode, "server") == 0) {
		return server(argc > 2 && argv[2][0] != '-' ? number(argv[2]) : -1);
	}
	if (strcmp(mode, "notify") == 0) {
		return notify();
	}
	if (strcmp(mode, "signaller") == 0) {
		return signaller();
	}
	if (strcmp(mode, "selfkill") == 0) {
		/* Our main thread's tid is our pid; ended on the way back, the loop never runs. */
		hp_thread_kill(hp_thread_handle(hp_getpid()));
		for (;;) {
			hp_yield();
		}
	}
	if (strcmp(mode, "idle") == 0) {
		hp_sleep(200);
		return 0;
	}
	if (strcmp(mode, "bench") == 0) {
		return bench();
	}
	if (strcmp(mode, "fast") == 0) {
		return fast(argc > 2 ? number(argv[2]) : 0);
	}
	if (strcmp(mode, "pairs") == 0 && argc > 3) {
		return pairs(number(argv[2]), number(argv[3]));
	}
	hp_printf("usage: ipctest basic|notify|bench|pairs N MS|fast [CPU]\n");
	return 2;
}
