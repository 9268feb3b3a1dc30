/* SPDX-License-Identifier: BSD-2-Clause */
/* Fixed-size CPU bitmaps and their Linux cpulist text form ("0-3,5"). */
#ifndef HP_CPUMASK_H
#define HP_CPUMASK_H

#include "kernel.h"

#define CPUMASK_WORDS ((NR_CPUS + 63) / 64)

struct cpumask {
	uint64_t bits[CPUMASK_WORDS];
};

static inline void cpumask_clear(struct cpumask *m)
{
	for (unsigned int i = 0; i < CPUMASK_WORDS; i++) {
		m->bits[i] = 0;
	}
}

static inline bool cpumask_test(const struct cpumask *m, unsigned int cpu)
{
	return cpu < NR_CPUS && (m->bits[cpu / 64] >> (cpu % 64)) & 1;
}

/* Set and clear are atomic: the global masks are written by several CPUs at once. */
static inline void cpumask_set(struct cpumask *m, unsigned int cpu)
{
	__atomic_fetch_or(&m->bits[cpu / 64], 1ull << (cpu % 64), __ATOMIC_SEQ_CST);
}

static inline void cpumask_unset(struct cpumask *m, unsigned int cpu)
{
	__atomic_fetch_and(&m->bits[cpu / 64], ~(1ull << (cpu % 64)), __ATOMIC_SEQ_CST);
}

unsigned int cpumask_weight(const struct cpumask *m);
/* First set bit at or after @cpu, or NR_CPUS. */
unsigned int cpumask_next(const struct cpumask *m, unsigned int cpu);
bool cpumask_empty(const struct cpumask *m);
bool cpumask_equal(const struct cpumask *a, const struct cpumask *b);
void cpumask_and(struct cpumask *dst, const struct cpumask *a, const struct cpumask *b);
void cpumask_or(struct cpumask *dst, const struct cpumask *a, const struct cpumask *b);
void cpumask_andnot(struct cpumask *dst, const struct cpumask *a, const struct cpumask *b);
void cpumask_fill(struct cpumask *m, unsigned int count);

#define for_each_cpu(cpu, mask) \
	for ((cpu) = cpumask_next((mask), 0); (cpu) < NR_CPUS; (cpu) = cpumask_next((mask), (cpu) + 1))

/* Writes "0-3,5" (empty mask: ""); returns the length, or -ENOSPC if @len is too small. */
int cpulist_format(char *buf, size_t len, const struct cpumask *m);
/* Parses "0-3,5" (whitespace around the text allowed); -EINVAL or -ERANGE, mask untouched. */
int cpulist_parse(const char *text, struct cpumask *m);

#endif
