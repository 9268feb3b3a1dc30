/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ipcbench [ROUNDS]: IPC costs between two address spaces (docs/ipc.md), each as
 * "ipcbench: KIND WHERE N ns": a call+reply round trip with 8 words each way in
 * registers (rt-reg), with 64 words each way through the IPC buffers (rt-buf), and a
 * one-way send of 8 words to a server that only receives (oneway-reg); on the same
 * CPU and across two. Under --icount a nanosecond is one guest instruction
 * (tools/bench runs it both ways). The server side: "ipcbench server CPU" on handle 0.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include "hp.h"

#define QUIT 0xdead0002ul
#define BUF_WORDS (IPC_MSG_MAX - IPC_REG_WORDS)

static unsigned long buf[BUF_WORDS];

/* Answers every call with the message it got; a send needs no answer. */
static int server(long cpu)
{
	struct hp_msg m = { { 0 }, 0, 0 };
	if (!hp_pin(cpu) || hp_ipc_buffer(buf, BUF_WORDS)) {
		return 1;
	}
	long err = hp_recv(0, &m, WAIT_FOREVER);
	while (err >= 0 && m.w[0] != QUIT) {
		err = m.w[1] ? hp_recv(0, &m, WAIT_FOREVER) : hp_reply_recv(0, &m, WAIT_FOREVER);
	}
	return 0;
}

/* @rounds of @kind (0 round trip, 1 one-way send) with @len words: ns each. */
static long measure(long ep, int kind, unsigned long len, long rounds)
{
	struct hp_msg m = { { 1, kind == 1, 3, 4, 5, 6, 7, 8 }, 0, len };
	for (int i = 0; i < 100; i++) {
		if ((kind ? hp_send(ep, &m, WAIT_FOREVER) : hp_call(ep, &m, WAIT_FOREVER)) < 0) {
			return -1;
		}
		m.len = len;
	}
	long t0 = hp_uptime_us();
	for (long i = 0; i < rounds; i++) {
		long err = kind ? hp_send(ep, &m, WAIT_FOREVER) : hp_call(ep, &m, WAIT_FOREVER);
		if (err < 0) {
			return err;
		}
		m.len = len;
	}
	return (hp_uptime_us() - t0) * 1000 / rounds;
}

int main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "server") == 0) {
		return server(hp_arg_number(argv[2]));
	}
	long rounds = argc == 2 ? hp_arg_number(argv[1]) : 2000;
	if (argc > 2 || rounds <= 0) {
		hp_printf("usage: ipcbench [ROUNDS] | ipcbench server CPU\n");
		return 2;
	}
	long cpu = hp_getcpu(), other = cpu == 0 ? 1 : 0;
	if (!hp_pin(cpu) || hp_ipc_buffer(buf, BUF_WORDS)) {
		return 1;
	}
	const char *where[] = { "same-cpu", "cross-cpu" };
	for (int k = 0; k < 2; k++) {
		char num_s[16];
		snprintf(num_s, sizeof(num_s), "%ld", k == 0 ? cpu : other);
		char *sv[] = { "ipcbench", "server", num_s };
		long ep = hp_ep_create();
		long pid = ep < 0 ? ep : hp_spawn_handle(sv, 3, 0, ep);
		if (pid < 0) {
			hp_printf("ipcbench: cannot start the server: %s\n", err_name((int)pid));
			return 1;
		}
		long reg = measure(ep, 0, IPC_REG_WORDS, rounds);
		long big = measure(ep, 0, IPC_MSG_MAX, rounds);
		long one = measure(ep, 1, IPC_REG_WORDS, rounds);
		struct hp_msg quit = { { QUIT, 1 }, 0, 2 };
		hp_send(ep, &quit, WAIT_FOREVER);
		int status;
		hp_wait(pid, &status);
		hp_handle_close(ep);
		if (reg < 0 || big < 0 || one < 0) {
			hp_printf("ipcbench: %s: failed\n", where[k]);
			return 1;
		}
		hp_printf("ipcbench: rt-reg %s %ld ns\nipcbench: rt-buf %s %ld ns\nipcbench: oneway-reg %s %ld ns\n",
			  where[k], reg, where[k], big, where[k], one);
	}
	hp_printf("ipcbench: %ld rounds each, two address spaces\n", rounds);
	return 0;
}
