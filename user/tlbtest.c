/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tlbtest CPU: touches a page on CPU, waits 1.5 s (time to take CPU offline), remaps
 * that address elsewhere, waits 1.5 s (time to bring CPU back), and reads it on CPU
 * again. The kernel's stale-TLB check must stay quiet, unless a CPU came online
 * without flushing (mmu.skip_online_flush=1).
 * tlbtest first A B: unmaps a page on CPU A, then runs on CPU B for the first time; B
 * holds nothing of this address space, so the check must stay quiet there too.
 */
#include <stdbool.h>
#include <stdlib.h>
#include "hp.h"

static bool pin(int cpu)
{
	uint64_t mask[2] = { 0, 0 };
	mask[cpu / 64 % 2] = 1ull << (cpu % 64);
	return hp_setaffinity(mask, 2) == 0;
}

static int first(int a, int b)
{
	if (!pin(a)) {
		return 1;
	}
	long p = hp_map(0, 4096, PROT_R | PROT_W);
	if (p < 0) {
		return 1;
	}
	*(volatile int *)p = 1;
	hp_unmap((uintptr_t)p, 4096);
	if (!pin(b) || hp_getcpu() != b) {
		return 1;
	}
	hp_printf("tlbtest: unmapped on cpu%d, then first ran on cpu%d\n", a, b);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 4 && argv[1][0] == 'f') {
		return first(atoi(argv[2]), atoi(argv[3]));
	}
	if (argc != 2) {
		hp_printf("usage: tlbtest CPU | tlbtest first A B\n");
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
