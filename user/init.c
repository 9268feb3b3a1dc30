/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * init: the first process. It starts the shell with the boot scripts (sh --boot), and
 * a new interactive shell whenever the shell ends (exit, Ctrl-D, a fault), so the
 * console always has one. It waits for every child, so nothing it starts is left
 * unreaped. If it cannot start a shell it ends, and the kernel powers off.
 */
#include <string.h>
#include "hp.h"

int main(void)
{
	char *boot[] = { "sh", "--boot" };
	char *again[] = { "sh" };
	long shell = hp_spawn(boot, 2);

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
			shell = hp_spawn(again, 1);
		} else if (pid < 0) {
			hp_printf("init: wait: %s (%s)\n", err_text((int)pid), err_name((int)pid));
			return 1;
		}
	}
}
