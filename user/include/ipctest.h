/* SPDX-License-Identifier: BSD-2-Clause */
/* What ipctest.c and ipctest_fast.c share: the server's protocol, the checks' counter. */
#ifndef HP_IPCTEST_H
#define HP_IPCTEST_H

/*
 * The server's commands: w0 values at the top of the word, far above any sequence
 * number a client counts up from 1 (pairs makes some 60,000 calls a second per client:
 * when ECHO was 0xec40, call 60,480 was taken for an ECHO, 60,481 shrank the server's
 * buffer and 60,483 asked for a 20-word answer, and the client ended on EMSGSIZE).
 */
#define IPCTEST_CMD(n) (0xc0de000000000000ul | (n))
#define QUIT   IPCTEST_CMD(0x01)      /* w0 meaning "end now" */
/* w0 of the message-size checks: answered as the server's comment says */
#define ECHO   IPCTEST_CMD(0x40)
#define SHRINK IPCTEST_CMD(0x41)
#define GROW   IPCTEST_CMD(0x42)
#define LONG   IPCTEST_CMD(0x43)
#define KILLIT IPCTEST_CMD(0x44)      /* w3 is a process handle: end that process */
#define KILLTHREAD IPCTEST_CMD(0x45)  /* w3 is a thread handle: end that thread */
#define LEAKED IPCTEST_CMD(0x4f)      /* the server's ECHO answer when a word leaked */
#define MARK   0x5ec12e75ec12e7ul     /* words beyond a message's length, never sent */
#define STACK 16384

extern int failures;

#define expect(what, got, want) hp_expect("ipctest", &failures, what, got, want)

/* Spawns "ipctest server CPU" (-1: any CPU) serving on a copy of handle @h. */
long spawn_server(long h, long cpu);
/* ipctest fast CPU (ipctest_fast.c). */
int fast(long cpu);

#endif
