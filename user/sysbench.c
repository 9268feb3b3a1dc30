/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * sysbench [N]: N null system calls (getpid); prints the guest instructions per round
 * trip as the hart counts them (instret), best of five runs.
 */
#include <stdlib.h>
#include "hp.h"

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 1000;
	uint64_t best = ~0ull;

	if (n <= 0) {
		hp_printf("sysbench: N must be positive\n");
		return 2;
	}
	for (int run = 0; run < 5; run++) {
		uint64_t t0 = hp_instret();
		for (long i = 0; i < n; i++) {
			hp_getpid();
		}
		uint64_t per = (hp_instret() - t0) / (uint64_t)n;
		best = per < best ? per : best;
	}
	hp_printf("sysbench: null syscall %llu instructions a round trip (%ld calls, best of 5)\n",
		  (unsigned long long)best, n);
	return 0;
}
