/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tlbtest CPU: touches a page on CPU, waits 1.5 s (time to take CPU offline), remaps
 * that address elsewhere, waits 1.5 s (time to bring CPU back), and reads it on CPU
 * again. The kernel's stale-TLB check must stay quiet, unless a CPU came online
 * without flushing (mmu.skip_online_flush=1).
 */
#include <stdlib.h>
#include "hp.h"

int main(int argc, char **argv)
{
	if (argc != 2) {
		hp_printf("usage: tlbtest CPU\n");
		return 2;
	}
	int cpu = atoi(argv[1]);
	uint64_t mask[2] = { 0, 0 };
	mask[cpu / 64 % 2] = 1ull << (cpu % 64);
	if (hp_setaffinity(mask, 2)) {
		hp_printf("tlbtest: cannot run on cpu%d\n", cpu);
		return 1;
	}
	long a = hp_map(0, 4096, PROT_R | PROT_W);
	if (a < 0) {
		return 1;
	}
	*(volatile int *)a = 1;
	hp_printf("tlbtest: touched 0x%lx on cpu%ld\n", a, hp_getcpu());
	hp_sleep(1500);
	hp_unmap((uintptr_t)a, 4096);
	if (hp_map((uintptr_t)a, 4096, PROT_R | PROT_W) != a) {
		return 1;
	}
	*(volatile int *)a = 2;
	hp_printf("tlbtest: remapped 0x%lx on cpu%ld\n", a, hp_getcpu());
	hp_sleep(1500);
	if (hp_setaffinity(mask, 2)) {
		hp_printf("tlbtest: cpu%d did not come back\n", cpu);
		return 1;
	}
	int v = *(volatile int *)a;
	hp_printf("tlbtest: back on cpu%ld, read %d\n", hp_getcpu(), v);
	return v == 2 ? 0 : 1;
}
