/* SPDX-License-Identifier: BSD-2-Clause */
/* cpumask operations and the cpulist text form. */
#include <stdio.h>
#include "cpumask.h"
#include "bitops.h"
#include "err.h"

unsigned int cpumask_weight(const struct cpumask *m)
{
	unsigned int n = 0;
	for (unsigned int i = 0; i < CPUMASK_WORDS; i++) {
		n += (unsigned int)__builtin_popcountll(m->bits[i]);
	}
	return n;
}

unsigned int cpumask_next(const struct cpumask *m, unsigned int cpu)
{
	for (; cpu < NR_CPUS; cpu++) {
		uint64_t word = m->bits[cpu / 64] >> (cpu % 64);
		if (word) {
			cpu += ctz64(word);
			return cpu < NR_CPUS ? cpu : NR_CPUS;
		}
		cpu |= 63;     /* the rest of this word is clear */
	}
	return NR_CPUS;
}

bool cpumask_empty(const struct cpumask *m)
{
	return cpumask_next(m, 0) == NR_CPUS;
}

bool cpumask_equal(const struct cpumask *a, const struct cpumask *b)
{
	for (unsigned int i = 0; i < CPUMASK_WORDS; i++) {
		if (a->bits[i] != b->bits[i]) {
			return false;
		}
	}
	return true;
}

void cpumask_and(struct cpumask *dst, const struct cpumask *a, const struct cpumask *b)
{
	for (unsigned int i = 0; i < CPUMASK_WORDS; i++) {
		dst->bits[i] = a->bits[i] & b->bits[i];
	}
}

void cpumask_or(struct cpumask *dst, const struct cpumask *a, const struct cpumask *b)
{
	for (unsigned int i = 0; i < CPUMASK_WORDS; i++) {
		dst->bits[i] = a->bits[i] | b->bits[i];
	}
}

void cpumask_andnot(struct cpumask *dst, const struct cpumask *a, const struct cpumask *b)
{
	for (unsigned int i = 0; i < CPUMASK_WORDS; i++) {
		dst->bits[i] = a->bits[i] & ~b->bits[i];
	}
}

void cpumask_fill(struct cpumask *m, unsigned int count)
{
	cpumask_clear(m);
	for (unsigned int cpu = 0; cpu < count && cpu < NR_CPUS; cpu++) {
		cpumask_set(m, cpu);
	}
}

int cpulist_format(char *buf, size_t len, const struct cpumask *m)
{
	size_t used = 0;
	unsigned int cpu = cpumask_next(m, 0);

	if (len == 0) {
		return -ENOSPC;
	}
	buf[0] = 0;
	while (cpu < NR_CPUS) {
		unsigned int last = cpu;
		while (last + 1 < NR_CPUS && cpumask_test(m, last + 1)) {
			last++;
		}
		int n = last == cpu ? snprintf(buf + used, len - used, "%s%u", used ? "," : "", cpu)
				    : snprintf(buf + used, len - used, "%s%u-%u", used ? "," : "",
					       cpu, last);
		if (n < 0 || (size_t)n >= len - used) {
			buf[used] = 0;
			return -ENOSPC;
		}
		used += (size_t)n;
		cpu = cpumask_next(m, last + 1);
	}
	return (int)used;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Reads a decimal CPU number at *@s; false if none or too large for NR_CPUS. */
static bool read_cpu(const char **s, unsigned int *out, bool *range_err)
{
	const char *p = *s;
	unsigned long v = 0;

	if (*p < '0' || *p > '9') {
		return false;
	}
	while (*p >= '0' && *p <= '9') {
		v = v * 10 + (unsigned long)(*p - '0');
		if (v >= NR_CPUS) {
			*range_err = true;
			v = NR_CPUS;   /* keep consuming digits without overflowing */
		}
		p++;
	}
	*out = (unsigned int)v;
	*s = p;
	return true;
}

int cpulist_parse(const char *text, struct cpumask *m)
{
	struct cpumask tmp;
	const char *p = text;
	bool range_err = false;

	cpumask_clear(&tmp);
	while (is_space(*p)) {
		p++;
	}
	while (*p && !is_space(*p)) {
		unsigned int first, last;
		if (!read_cpu(&p, &first, &range_err)) {
			return -EINVAL;
		}
		last = first;
		if (*p == '-') {
			p++;
			if (!read_cpu(&p, &last, &range_err) || last < first) {
				return -EINVAL;
			}
		}
		if (*p == ',') {
			p++;
			if (*p == 0 || is_space(*p)) {
				return -EINVAL;    /* trailing comma */
			}
		} else if (*p && !is_space(*p)) {
			return -EINVAL;
		}
		for (unsigned int c = first; !range_err && c <= last; c++) {
			cpumask_set(&tmp, c);
		}
	}
	while (is_space(*p)) {
		p++;
	}
	if (*p) {
		return -EINVAL;
	}
	if (range_err) {
		return -ERANGE;
	}
	*m = tmp;
	return 0;
}
