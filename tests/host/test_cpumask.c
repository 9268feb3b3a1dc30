/* SPDX-License-Identifier: BSD-2-Clause */
/* cpumask.* and cpulist.*: the Linux "0-3,5" text form, both ways. */
#include "check.h"
#include "cpumask.h"
#include "bitops.h"
#include "err.h"

static const char *fmt(const struct cpumask *m)
{
	static char buf[512];
	CHECK(cpulist_format(buf, sizeof(buf), m) >= 0);
	return buf;
}

static void cpulist_roundtrip(void)
{
	static const char *const texts[] = { "", "0", "0-3", "0-3,5", "1,3,5,7", "0-1,4-6,63" };
	for (unsigned int i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		struct cpumask m;
		CHECK(cpulist_parse(texts[i], &m) == 0);
		CHECK_STR(fmt(&m), texts[i]);
	}
}

static void cpulist_merges_ranges(void)
{
	struct cpumask m;
	CHECK(cpulist_parse("3,0-1,2", &m) == 0);
	CHECK_STR(fmt(&m), "0-3");
	CHECK(cpulist_parse("  5\n", &m) == 0);
	CHECK_STR(fmt(&m), "5");
	CHECK(cpumask_weight(&m) == 1);
}

static void cpulist_rejects_malformed(void)
{
	static const char *const bad[] = { "a", "1-", "-1", "3-1", "1,,2", "1,", "1 2", "1;2", "0x1" };
	struct cpumask m;
	cpumask_fill(&m, 2);
	for (unsigned int i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int err = cpulist_parse(bad[i], &m);
		if (err != -EINVAL) {
			printf("  '%s' gave %d\n", bad[i], err);
		}
		CHECK(err == -EINVAL);
	}
	/* A failed parse leaves the mask alone. */
	CHECK_STR(fmt(&m), "0-1");
}

static void cpulist_rejects_out_of_range(void)
{
	struct cpumask m;
	char text[32];
	snprintf(text, sizeof(text), "%d", NR_CPUS);
	CHECK(cpulist_parse(text, &m) == -ERANGE);
	CHECK(cpulist_parse("0-99999999999999999999", &m) == -ERANGE);
	snprintf(text, sizeof(text), "%d", NR_CPUS - 1);
	CHECK(cpulist_parse(text, &m) == 0);
	CHECK(cpumask_test(&m, NR_CPUS - 1));
}

static void cpulist_format_small_buffer(void)
{
	struct cpumask m;
	char buf[4];
	CHECK(cpulist_parse("0,2,4,6", &m) == 0);
	CHECK(cpulist_format(buf, sizeof(buf), &m) == -ENOSPC);
	CHECK(strlen(buf) < sizeof(buf));
}

static void cpumask_operations(void)
{
	struct cpumask a, b, r;
	cpulist_parse("0-5", &a);
	cpulist_parse("4-9", &b);
	cpumask_and(&r, &a, &b);
	CHECK_STR(fmt(&r), "4-5");
	cpumask_or(&r, &a, &b);
	CHECK_STR(fmt(&r), "0-9");
	cpumask_andnot(&r, &a, &b);
	CHECK_STR(fmt(&r), "0-3");
	CHECK(cpumask_next(&b, 0) == 4);
	CHECK(cpumask_next(&b, 10) == NR_CPUS);
	cpumask_clear(&r);
	CHECK(cpumask_empty(&r));
	CHECK(!cpumask_equal(&a, &b));
	unsigned int cpu, n = 0;
	for_each_cpu(cpu, &a) {
		n++;
	}
	CHECK(n == 6);
}

/* ctz64 (bitops.h) for every single bit and for mixed words, against the compiler's. */
static void ctz64_every_bit(void)
{
	uint64_t x = 0x9e3779b97f4a7c15ull;
	for (unsigned int i = 0; i < 64; i++) {
		CHECK(ctz64(1ull << i) == i);
		CHECK(ctz64(~0ull << i) == i);
	}
	for (int i = 0; i < 100000; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		CHECK(ctz64(x) == (unsigned int)__builtin_ctzll(x));
	}
}

int main(void)
{
	RUN(cpulist_roundtrip);
	RUN(cpulist_merges_ranges);
	RUN(cpulist_rejects_malformed);
	RUN(cpulist_rejects_out_of_range);
	RUN(cpulist_format_small_buffer);
	RUN(cpumask_operations);
	RUN(ctz64_every_bit);
	return check_summary();
}
