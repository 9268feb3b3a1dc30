/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * format.c: hp_vsnprintf against the host's snprintf for every combination of the
 * flags, widths, precisions, lengths and conversions the kernel uses, over edge values,
 * at every buffer size from 0 past the whole result (the bytes beyond what may be
 * written must stay untouched, the return value is the whole length).
 */
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include "check.h"
#include "format.h"

#define BUF 160

typedef int vformat_fn(char *, size_t, const char *, va_list);

/* @fn (ours, hp_vsnprintf, or the host's vsnprintf) called as snprintf. */
static int format(vformat_fn *fn, char *b, size_t n, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int r = fn(b, n, fmt, ap);
	va_end(ap);
	return r;
}

#define hp(...) format(hp_vsnprintf, __VA_ARGS__)
#define host(...) format(vsnprintf, __VA_ARGS__)

static unsigned long compared;

/* Both at every size; the first difference is printed. */
#define SAME(fmt, ...)                                                                     \
	do {                                                                               \
		char g[BUF], w[BUF];                                                       \
		int full = host(w, sizeof(w), fmt, __VA_ARGS__);                           \
		for (size_t n = 0; n <= (size_t)full + 1 && n < BUF; n++) {                \
			memset(g, 0x5a, sizeof(g));                                        \
			memset(w, 0x5a, sizeof(w));                                        \
			int rg = hp(g, n, fmt, __VA_ARGS__), rw = host(w, n, fmt, __VA_ARGS__); \
			compared++;                                                        \
			if (rg != rw || memcmp(g, w, sizeof(g)) != 0) {                    \
				printf("  \"%s\" size %zu: got %d \"%.*s\", want %d \"%.*s\"\n", \
				       fmt, n, rg, n ? (int)n - 1 : 0, g, rw, n ? (int)n - 1 : 0, w); \
				check_failures++;                                          \
				break;                                                     \
			}                                                                  \
		}                                                                          \
	} while (0)

static const char *const widths[] = { "", "1", "5", "12", "*" };
static const char *const precisions[] = { "", ".", ".0", ".3", ".10", ".*" };

/* "%" FLAGS WIDTH PREC LEN CONV into @f; whether it takes a * width and a * precision. */
static void make(char *f, size_t len, const char *flags, int w, int p, const char *lm, char conv)
{
	snprintf(f, len, "%%%s%s%s%s%c", flags, widths[w], precisions[p], lm, conv);
}

#define EACH_SHAPE(flagset, convs, precs)                                                  \
	for (const char *const *fl = flagset; *fl; fl++)                                   \
		for (int w = 0; w < 5; w++)                                                \
			for (int p = 0; p < (precs); p++)                                  \
				for (const char *c = convs; *c; c++)

/* With the * arguments the format asks for (a width of 7 or -7, a precision of 2 or -1). */
#define WITH_STARS(f, w, p, v)                                                             \
	do {                                                                               \
		if (w == 4 && p == 5) {                                                    \
			SAME(f, 7, 2, v);                                                  \
			SAME(f, -7, -1, v);                                                \
		} else if (w == 4) {                                                       \
			SAME(f, 7, v);                                                     \
			SAME(f, -7, v);                                                    \
		} else if (p == 5) {                                                       \
			SAME(f, 2, v);                                                     \
			SAME(f, -1, v);                                                    \
		} else {                                                                   \
			SAME(f, v);                                                        \
		}                                                                          \
	} while (0)

/*
 * @v with every length: int-sized @I for none, h and hh (they are promoted), long-sized
 * @L for l and z, and as it is (long long) for ll.
 */
#define EACH_LENGTH(I, L, v)                                                               \
	do {                                                                               \
		static const char *const lengths[] = { "", "h", "hh", "l", "z", "ll" };   \
		for (int k = 0; k < 6; k++) {                                              \
			make(f, sizeof(f), *fl, w, p, lengths[k], *c);                     \
			if (k < 3) {                                                       \
				WITH_STARS(f, w, p, (I)(v));                               \
			} else if (k < 5) {                                                \
				WITH_STARS(f, w, p, (L)(v));                               \
			} else {                                                           \
				WITH_STARS(f, w, p, (v));                                  \
			}                                                                  \
		}                                                                          \
	} while (0)

static const char *const int_flags[] = { "", "-", "0", "+", " ", "-0", "+0", " -", "+-", NULL };
static const char *const uns_flags[] = { "", "-", "0", "#", "#0", "-#", NULL };

static void signed_ints(void)
{
	static const long long vals[] = { 0, 1, -1, 9, 42, -42, 1000000, INT_MAX, INT_MIN, LLONG_MAX,
					  LLONG_MIN, (long long)SHRT_MIN - 1, 300 };
	char f[32];
	EACH_SHAPE(int_flags, "di", 6) {
		for (unsigned i = 0; i < sizeof(vals) / sizeof(vals[0]); i++) {
			EACH_LENGTH(int, long, vals[i]);
		}
	}
}

static void unsigned_ints(void)
{
	static const unsigned long long vals[] = { 0, 1, 7, 8, 9, 15, 16, 255, 256, 0xdeadbeef, UINT_MAX,
						   ULLONG_MAX, 0x8000000000000000ull, 65536 };
	char f[32];
	EACH_SHAPE(uns_flags, "uxXo", 6) {
		for (unsigned i = 0; i < sizeof(vals) / sizeof(vals[0]); i++) {
			if (strchr(*fl, '#') && *c == 'u') {
				continue;                /* # means nothing for u */
			}
			EACH_LENGTH(unsigned, unsigned long, vals[i]);
		}
	}
}

static void strings_and_chars(void)
{
	static const char *const str_flags[] = { "", "-", NULL };
	static const char *const strs[] = { "", "a", "cpu3", "hart_start.start_pending", "0123456789abcdef" };
	char f[32];
	EACH_SHAPE(str_flags, "s", 6) {
		for (unsigned i = 0; i < sizeof(strs) / sizeof(strs[0]); i++) {
			make(f, sizeof(f), *fl, w, p, "", *c);
			WITH_STARS(f, w, p, strs[i]);
		}
	}
	EACH_SHAPE(str_flags, "c", 1) {
		make(f, sizeof(f), *fl, w, p, "", *c);
		WITH_STARS(f, w, p, 'q');
	}
}

static void pointers_and_text(void)
{
	int x;
	SAME("%p", (void *)&x);
	SAME("[%20p]", (void *)&x);
	SAME("[%-20p]", (void *)(uintptr_t)0x80200000u);
	SAME("100%% of %s", "it");
	SAME("%s", "no conversion after this: %%");
	SAME("CPU%u: hart %lu online\n", 3u, 3ul);
	SAME("[%5lu.%06lu] cpu%u: %s", 12ul, 345ul, 2u, "text");
	SAME("%-11s %s \xe2\x80\x94 %s (%s)\n", "PASS", "name", "what", "SBI v2.0 §9.1");
	SAME("%llu.%02llu, %016lx %#lx %#llx", 4ull, 7ull, 0xabcul, 0x10ul, 0ull);
	SAME("%.*s|%*s|%-*s|", 3, "abcdef", 6, "ab", 6, "ab");
	CHECK(compared > 100000);
}

static void no_buffer(void)
{
	char b[4] = "xyz";
	CHECK(hp(NULL, 0, "%s and %d", "twelve", 12) == 13);
	CHECK(hp(b, 0, "%s", "abc") == 3 && strcmp(b, "xyz") == 0);
	CHECK(hp(b, 1, "%s", "abc") == 3 && b[0] == 0 && b[1] == 'y');
	CHECK(hp(b, 4, "%s", (char *)NULL) == 6 && strcmp(b, "(nu") == 0);
}

int main(void)
{
	RUN(signed_ints);
	RUN(unsigned_ints);
	RUN(strings_and_chars);
	RUN(pointers_and_text);
	RUN(no_buffer);
	printf("%lu comparisons\n", compared);
	return check_summary();
}
