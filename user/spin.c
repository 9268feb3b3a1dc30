/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * spin CPULIST MS: counts in a loop for MS milliseconds on the CPUs of CPULIST ("0-3,5"),
 * reporting its count and the CPUs it ran on every 500 ms and at the end. It proves
 * that a user thread survives its CPUs going offline: the count keeps rising.
 */
#include <stdio.h>
#include <stdlib.h>
#include "hp.h"

static int parse_cpulist(const char *s, uint64_t mask[2])
{
	mask[0] = mask[1] = 0;
	while (*s) {
		char *end;
		long lo = strtol(s, &end, 10), hi = lo;
		if (end == s || lo < 0 || lo > 127) {
			return -1;
		}
		s = end;
		if (*s == '-') {
			hi = strtol(s + 1, &end, 10);
			if (end == s + 1 || hi < lo || hi > 127) {
				return -1;
			}
			s = end;
		}
		for (long c = lo; c <= hi; c++) {
			mask[c / 64] |= 1ull << (c % 64);
		}
		if (*s == ',') {
			s++;
		} else if (*s) {
			return -1;
		}
	}
	return 0;
}

static void report(const char *what, unsigned long long count, const uint64_t seen[2])
{
	char list[400];
	int n = 0;
	for (int c = 0; c < 128 && n < (int)sizeof(list) - 5; c++) {
		if (seen[c / 64] & (1ull << (c % 64))) {
			n += snprintf(list + n, sizeof(list) - (size_t)n, "%s%d", n ? "," : "", c);
		}
	}
	hp_printf("spin[%ld]: %s %llu iterations, ran on cpus %s\n", hp_getpid(), what, count,
		  n ? list : "none");
}

int main(int argc, char **argv)
{
	uint64_t mask[2], seen[2] = { 0, 0 };
	if (argc != 3 || parse_cpulist(argv[1], mask)) {
		hp_printf("usage: spin CPULIST MS\n");
		return 2;
	}
	long ms = atol(argv[2]);
	long err = hp_setaffinity(mask, 2);
	if (err) {
		hp_printf("spin: setaffinity %s: error %ld\n", argv[1], err);
		return 1;
	}
	long t0 = hp_uptime_us(), next = t0 + 500000;
	unsigned long long count = 0;
	for (;;) {
		for (int i = 0; i < 1000; i++) {
			count++;
			__asm__ __volatile__("" : "+r"(count));
		}
		long cpu = hp_getcpu();
		if (cpu >= 0 && cpu < 128) {
			seen[cpu / 64] |= 1ull << (cpu % 64);
		}
		long now = hp_uptime_us();
		if (now - t0 >= ms * 1000) {
			break;
		}
		if (now >= next) {
			report("at", count, seen);
			next += 500000;
		}
	}
	report("done:", count, seen);
	return 0;
}
