/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * hsmtest's report (hsmtest.c): one line per check, kept for the summary and for the
 * JSON line, and the latency table.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "hsmtest_internal.h"
#include "log.h"

#define DASH "\xe2\x80\x94"

static struct tally {
	unsigned int checks, passed, deviations, unsupported, skipped;
} tally;

/*
 * The checks' results again, for `hsm test json` (one JSON line at the end). A detail
 * is kept short enough for its line to fit the console's 512 bytes.
 */
#define MAX_CHECKS 32
static struct result {
	const char *verdict, *name, *section;
	char what[400];
} results[MAX_CHECKS];

void verdict(const char *v, const char *name, const char *section, const char *fmt, ...)
{
	char what[400];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	if (tally.checks < MAX_CHECKS) {
		struct result *r = &results[tally.checks];
		r->verdict = v;
		r->name = name;
		r->section = section;
		snprintf(r->what, sizeof(r->what), "%s", what);
	}
	tally.checks++;
	tally.passed += strcmp(v, "PASS") == 0;
	tally.deviations += strcmp(v, "DEVIATION") == 0;
	tally.unsupported += strcmp(v, "UNSUPPORTED") == 0;
	tally.skipped += strcmp(v, "SKIP") == 0;
	console_printf("%-11s %s " DASH " %s (%s)\n", v, name, what, section);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

static bool icount;                     /* QEMU runs with -icount shift=0 (hsm test icount) */

static struct latency {
	const char *what;
	uint64_t min, median, p99, max;
	unsigned int n;
} latencies[8];
static unsigned int nlatencies;

void hsm_latency_row(const char *what, uint64_t *v, unsigned int n)
{
	uint64_t hz = log_timebase();
	qsort(v, n, sizeof(*v), cmp_u64);
	if (nlatencies < ARRAY_SIZE(latencies)) {
		latencies[nlatencies++] = (struct latency){ what, v[0], v[n / 2], v[n * 99 / 100], v[n - 1], n };
	}
	/* Under -icount shift=0 a nanosecond of virtual time is one guest instruction. */
	console_printf("hsmtest: latency %-16s min %6llu  median %6llu  p99 %6llu  max %6llu ticks "
		       "(median %llu %s, %u samples)\n", what, (unsigned long long)v[0],
		       (unsigned long long)v[n / 2], (unsigned long long)v[n * 99 / 100],
		       (unsigned long long)v[n - 1], (unsigned long long)(v[n / 2] * 1000000000ull / hz),
		       icount ? "guest instructions" : "ns", n);
}

/* JSON strings here hold no quote or backslash but the em dash's UTF-8, which JSON allows. */
static void print_json(unsigned long seed)
{
	console_printf("hsmtest-json: {\"seed\": %lu, \"checks\": [", seed);
	for (unsigned int i = 0; i < tally.checks && i < MAX_CHECKS; i++) {
		const struct result *r = &results[i];
		console_printf("%s{\"verdict\": \"%s\", \"name\": \"%s\", \"detail\": \"%s\", "
			       "\"section\": \"%s\"}", i ? ", " : "", r->verdict, r->name, r->what, r->section);
	}
	console_printf("], \"summary\": {\"checks\": %u, \"passed\": %u, \"deviations\": %u, "
		       "\"unsupported\": %u, \"skipped\": %u}, \"latency_ticks\": [", tally.checks,
		       tally.passed, tally.deviations, tally.unsupported, tally.skipped);
	for (unsigned int i = 0; i < nlatencies; i++) {
		const struct latency *l = &latencies[i];
		console_printf("%s{\"what\": \"%s\", \"min\": %llu, \"median\": %llu, \"p99\": %llu, "
			       "\"max\": %llu, \"samples\": %u}", i ? ", " : "", l->what,
			       (unsigned long long)l->min, (unsigned long long)l->median,
			       (unsigned long long)l->p99, (unsigned long long)l->max, l->n);
	}
	console_printf("], \"timebase_hz\": %llu, \"icount\": %s}\n", (unsigned long long)log_timebase(),
		       icount ? "true" : "false");
}

void hsm_report_reset(bool under_icount)
{
	icount = under_icount;
	memset(&tally, 0, sizeof(tally));
	nlatencies = 0;
}

void hsm_report_summary(bool json, unsigned long seed)
{
	console_printf("hsmtest: %u checks, %u passed, %u deviations, %u unsupported, %u skipped\n",
		       tally.checks, tally.passed, tally.deviations, tally.unsupported, tally.skipped);
	if (json) {
		print_json(seed);
	}
}
