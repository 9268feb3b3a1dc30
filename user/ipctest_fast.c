/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ipctest fast CPU: IPC's fast path (kernel/ipc_fast.c), on one CPU and its neighbour
 * (ipctest.c's server answers).
 */
#include <stdbool.h>
#include "hp.h"
#include "ipctest.h"

/* /sys/kernel/ipc/fastpath: direct, switched, resumed, finished_slow. */
static bool fast_counts(long n[4])
{
	char buf[160];
	long len = hp_sysfs_read("/sys/kernel/ipc/fastpath", buf, sizeof(buf) - 1);
	if (len <= 0) {
		return false;
	}
	buf[len] = 0;
	const char *p = buf;
	for (int i = 0; i < 4; i++) {
		while (*p && (*p < '0' || *p > '9')) {
			p++;
		}
		n[i] = hp_number(p, &p);
	}
	return true;
}

/* ECHO with @len words, the rest MARK: back with the same length, each word one more. */
static void echo_every_length(long ep, int rounds)
{
	for (int r = 0; r < rounds; r++) {
		for (unsigned long len = 1; len <= IPC_REG_WORDS; len++) {
			struct hp_msg m = { { ECHO }, 0, len };
			for (unsigned long i = 1; i < IPC_REG_WORDS; i++) {
				m.w[i] = i < len ? i * 1000 + (unsigned long)r : MARK;
			}
			long err = hp_call(ep, &m, WAIT_FOREVER);
			bool ok = err == 0 && m.len == len && m.w[0] == ECHO;
			for (unsigned long i = 1; i < IPC_REG_WORDS && ok; i++) {
				ok = m.w[i] == (i < len ? i * 1000 + (unsigned long)r + 1 : MARK);
			}
			if (!ok) {
				hp_printf("ipctest: fast: %lu words, round %d: err %ld, len %lu, w0 %lx\n",
					  len, r, err, m.len, m.w[0]);
				failures++;
				return;
			}
		}
	}
}

int fast(long cpu)
{
	long before[4], after[4], other = cpu == 0 ? 1 : 0;
	int status;
	struct hp_msg m;

	if (!hp_pin(cpu) || !fast_counts(before)) {
		hp_printf("ipctest: fast: cannot run on CPU%ld or read the counters\n", cpu);
		return 1;
	}
	/* Same CPU: after the server's first receive, every hand-off can be direct. */
	long ep = hp_ep_create();
	long pid = spawn_server(ep, cpu);
	expect("a server on our CPU", pid > 0, 1);
	echo_every_length(ep, 100);
	fast_counts(after);
	expect("most hand-offs direct (at least 1,400 of 1,600)", after[0] - before[0] >= 1400, 1);
	/*
	 * A server parked in its reply_recv, killed there; a call of ours parked while its
	 * server ends holding it. Whether a thread sleeps parked depends on its last
	 * hand-off (a tick may send one through the slow path), so each is tried up to
	 * five times until the counters show it resumed from its park context.
	 */
	bool killed_parked = false, epipe_parked = false;
	for (int t = 0; t < 5 && !killed_parked; t++) {
		long e = hp_ep_create();
		long victim = spawn_server(e, cpu);
		echo_every_length(e, 1);
		fast_counts(before);
		expect("kill a parked server", hp_kill(victim), 0);
		expect("  it ended", hp_wait(victim, &status), victim);
		expect("  killed", status, 137);
		fast_counts(after);
		killed_parked = after[2] > before[2];
		hp_handle_close(e);
	}
	expect("  from its park context", killed_parked, 1);
	for (int t = 0; t < 5 && !epipe_parked; t++) {
		long e = hp_ep_create();
		long quitter = spawn_server(e, cpu);
		echo_every_length(e, 1);
		fast_counts(before);
		m = (struct hp_msg){ { QUIT }, 0, 1 };
		expect("a parked call whose server ends", hp_call(e, &m, WAIT_FOREVER), -EPIPE);
		expect("  it ended", hp_wait(quitter, &status), quitter);
		fast_counts(after);
		epipe_parked = after[2] > before[2];
		hp_handle_close(e);
	}
	expect("  finished from its park context", epipe_parked, 1);
	m = (struct hp_msg){ { QUIT }, 0, 1 };
	expect("the first server ends", hp_call(ep, &m, WAIT_FOREVER), -EPIPE);
	expect("  it ended", hp_wait(pid, &status), pid);
	/*
	 * A server on the other CPU, parked there by a call we make from its CPU, then
	 * answered from ours (the slow path wakes it; it resumes from its park context).
	 */
	pid = spawn_server(ep, other);
	expect("a server on another CPU", pid > 0, 1);
	fast_counts(before);
	for (int r = 0; r < 10; r++) {
		expect("  to its CPU", hp_pin(other), 1);
		echo_every_length(ep, 1);
		expect("  back to ours", hp_pin(cpu), 1);
		echo_every_length(ep, 1);
	}
	fast_counts(after);
	expect("  it resumed from its park context (10 times or more)", after[2] - before[2] >= 10, 1);
	m = (struct hp_msg){ { QUIT }, 0, 1 };
	expect("  and ends", hp_call(ep, &m, WAIT_FOREVER), -EPIPE);
	expect("  it ended", hp_wait(pid, &status), pid);
	hp_handle_close(ep);
	if (failures) {
		return 1;
	}
	hp_printf("ipctest: fast ok\n");
	return 0;
}

