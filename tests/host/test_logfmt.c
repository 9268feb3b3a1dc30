/* SPDX-License-Identifier: BSD-2-Clause */
/* logfmt.*: the "[seconds.micro] cpuN: " prefix and "<N>" level markers. */
#include "check.h"
#include "log.h"

static void logfmt_prefix(void)
{
	char buf[64];
	CHECK(log_format_prefix(buf, sizeof(buf), 0, 10000000, 0) == strlen(buf));
	CHECK_STR(buf, "[    0.000000] cpu0: ");
	log_format_prefix(buf, sizeof(buf), 12345678, 10000000, 3);
	CHECK_STR(buf, "[    1.234567] cpu3: ");
	log_format_prefix(buf, sizeof(buf), 123456ull * 10000000 + 9, 10000000, 63);
	CHECK_STR(buf, "[123456.000000] cpu63: ");
}

static void logfmt_no_overflow_on_long_uptime(void)
{
	char buf[64];
	/* ticks * 1e6 would overflow 64 bits here; the split arithmetic must not. */
	uint64_t ticks = 0xffffffffffffull * 1000 + 999;
	log_format_prefix(buf, sizeof(buf), ticks, 1000, 1);
	CHECK_STR(buf, "[281474976710655.999000] cpu1: ");
}

static void logfmt_truncates(void)
{
	char buf[8];
	size_t n = log_format_prefix(buf, sizeof(buf), 0, 1, 0);
	CHECK(n == sizeof(buf) - 1);
	CHECK(strlen(buf) == n);
	CHECK(log_format_prefix(buf, 0, 0, 1, 0) == 0);
}

static void logfmt_zero_timebase(void)
{
	char buf[64];
	log_format_prefix(buf, sizeof(buf), 5, 0, 2);
	CHECK_STR(buf, "[    0.000000] cpu2: ");
}

static void logfmt_levels(void)
{
	const char *rest;
	CHECK(log_parse_level("<3>boom", 6, &rest) == 3);
	CHECK_STR(rest, "boom");
	CHECK(log_parse_level("plain", 6, &rest) == 6);
	CHECK_STR(rest, "plain");
	CHECK(log_parse_level("<9>x", 6, &rest) == 6);
	CHECK(log_parse_level("<", 4, &rest) == 4);
}

int main(void)
{
	RUN(logfmt_prefix);
	RUN(logfmt_no_overflow_on_long_uptime);
	RUN(logfmt_truncates);
	RUN(logfmt_zero_timebase);
	RUN(logfmt_levels);
	return check_summary();
}
