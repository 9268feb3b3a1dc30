/* SPDX-License-Identifier: BSD-2-Clause */
/* hello [WORDS...]: greets from user mode with its pid and CPU, and echoes its words. */
#include "hp.h"

int main(int argc, char **argv)
{
	hp_printf("hello from user mode: pid %ld on cpu%ld\n", hp_getpid(), hp_getcpu());
	for (int i = 1; i < argc; i++) {
		hp_printf("argv[%d] = %s\n", i, argv[i]);
	}
	return 0;
}
