/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * regtest [ROUNDS]: every register a user program holds survives interrupts and
 * system calls (reg_loop in regloop.S); prints "regtest: ok" or the register changed.
 */
#include <stdlib.h>
#include "hp.h"

long reg_loop(long rounds);

int main(int argc, char **argv)
{
	long rounds = argc > 1 ? atol(argv[1]) : 20000000;
	long bad = reg_loop(rounds > 0 ? rounds : 1);
	if (bad) {
		hp_printf("regtest: x%ld changed\n", bad);
		return 1;
	}
	hp_printf("regtest: ok\n");
	return 0;
}
