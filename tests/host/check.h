/* SPDX-License-Identifier: BSD-2-Clause */
/* A minimal test framework for the native unit tests: TEST() blocks and CHECK()s. */
#ifndef HP_CHECK_H
#define HP_CHECK_H

#include <stdio.h>
#include <string.h>

static int check_failures;
static int check_tests_failed;
static int check_tests_run;

#define CHECK(cond)                                                                    \
	do {                                                                           \
		if (!(cond)) {                                                         \
			printf("  %s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, #cond);  \
			check_failures++;                                              \
		}                                                                      \
	} while (0)

#define CHECK_STR(a, b)                                                                \
	do {                                                                           \
		const char *_a = (a), *_b = (b);                                       \
		if (strcmp(_a, _b) != 0) {                                             \
			printf("  %s:%d: \"%s\" != \"%s\"\n", __FILE__, __LINE__, _a, _b);  \
			check_failures++;                                              \
		}                                                                      \
	} while (0)

/* Runs fn and reports it as "name: ok" or "name: FAILED". */
static inline void run_test(const char *name, void (*fn)(void))
{
	int before = check_failures;
	fn();
	check_tests_run++;
	if (check_failures != before) {
		check_tests_failed++;
		printf("%s: FAILED\n", name);
	} else {
		printf("%s: ok\n", name);
	}
}

#define RUN(fn) run_test(#fn, fn)

static inline int check_summary(void)
{
	printf("%d tests, %d failed\n", check_tests_run, check_tests_failed);
	return check_tests_failed ? 1 : 0;
}

#endif
