/* SPDX-License-Identifier: BSD-2-Clause */
/* What ipctest.c and ipctest_fast.c share: the server's protocol, the checks' counter. */
#ifndef HP_IPCTEST_H
#define HP_IPCTEST_H

#define QUIT 0xdead0001ul             /* w0 meaning "end now"; never a sequence number here */
/* w0 of the message-size checks: answered as the server's comment says */
#define ECHO   0xec40ul
#define SHRINK 0xec41ul
#define GROW   0xec42ul
#define LONG   0xec43ul
#define KILLIT 0xec44ul               /* w3 is a process handle: end that process */
#define KILLTHREAD 0xec45ul           /* w3 is a thread handle: end that thread */
#define LEAKED 0xec4ful               /* the server's ECHO answer when a word leaked */
#define MARK   0x5ec12e75ec12e7ul     /* words beyond a message's length, never sent */
#define STACK 16384

extern int failures;

#define expect(what, got, want) hp_expect("ipctest", &failures, what, got, want)

/* Spawns "ipctest server CPU" (-1: any CPU) serving on a copy of handle @h. */
long spawn_server(long h, long cpu);
/* ipctest fast CPU (ipctest_fast.c). */
int fast(long cpu);

#endif
