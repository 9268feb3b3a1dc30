/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * init: the first process. It starts the shell with the boot scripts (sh --boot), and
 * a new interactive shell whenever the shell ends (exit, Ctrl-D, a fault), so the
 * console always has one. It waits for every child, so nothing it starts is left
 * unreaped. If it cannot start a shell it ends, and the kernel powers off. The shell
 * gets a copy of init's CPU-control handle: what the shell runs does not.
 */
#include <string.h>
#include "hp.h"

int main(void)
{
	char *boot[] = { "sh", "--boot" };
	char *again[] = { "sh" };
	/* Handle 0 is the CPU-control right the kernel gave us: the shell gets a copy. */
	long shell = hp_spawn_handle(boot, 2, 0, 0);

	for (;;) {
		if (shell < 0) {
			hp_printf("init: cannot start the shell: %s (%s)\n", err_text((int)shell),
				  err_name((int)shell));
			return 1;
		}
		int status = 0;
		long pid = hp_wait(-1, &status);
		if (pid == shell) {
			if (status) {
				hp_printf("init: the shell ended with status %d; starting a new one\n", status);
			}
			shell = hp_spawn_handle(again, 1, 0, 0);
		} else if (pid < 0) {
			hp_printf("init: wait: %s (%s)\n", err_text((int)pid), err_name((int)pid));
			return 1;
		}
	}
}
