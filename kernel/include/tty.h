/* SPDX-License-Identifier: BSD-2-Clause */
/* Console input for user space, and Ctrl-C for the foreground (tty.c). */
#ifndef HP_TTY_H
#define HP_TTY_H

#include "kernel.h"

void tty_init(void);
/* The read system call on the console: waits for at least one byte; -EINTR if killed. */
long tty_read(unsigned long ubuf, size_t len);
/*
 * Ctrl-C ends process @pid from now on (0: nobody; the byte is read as input); when @pid
 * is the caller, it stops the caller's kernel commands instead.
 */
int tty_set_foreground(int pid);
/* Around a kernel command: Ctrl-C meanwhile (see above) sets the task's interrupted flag. */
void tty_command_begin(void);
void tty_command_end(void);
/* For long kernel commands' loops: Ctrl-C was typed; stop and return -EINTR. */
bool command_interrupted(void);
/* Process @pid ended: it is no longer the foreground. */
void tty_process_ended(int pid);

#endif
