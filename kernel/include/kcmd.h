/* SPDX-License-Identifier: BSD-2-Clause */
/* The kernel's diagnostic commands (kcmd.c) and the first process (init.c). */
#ifndef HP_KCMD_H
#define HP_KCMD_H

#include "kernel.h"

bool kcmd_exists(const char *name);
/* Runs the kernel command argv[0]; its result, or -ENOSYS when there is no such command. */
int kcmd_run(int argc, char **argv);
/* Lists the commands under /sys/kernel/commands. */
void kcmd_init(void);

/*
 * Publishes the boot scripts (shell.run=, the initrd's @file_script) under
 * /sys/kernel/boot, starts /bin/init and waits for it; init must not end: if it does,
 * the system powers off with a message. Does not return.
 */
__noreturn void init_run(const char *file_script, size_t file_len);

#endif
