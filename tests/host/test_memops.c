/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * memops.c: hp_memset and hp_memcpy against byte-at-a-time references, for every
 * alignment of destination and source, lengths around the word and unroll sizes, and
 * guard bytes on both sides that must stay untouched.
 */
#include <stdint.h>
#include "check.h"
#include "memops.h"

#define AREA 160
#define GUARD 0xa5

static unsigned char got[AREA + 32], want[AREA + 32], src[AREA + 32];

static void fill_pattern(unsigned char *p, size_t n, unsigned seed)
{
	for (size_t i = 0; i < n; i++) {
		p[i] = (unsigned char)(seed * 31 + i * 7 + 1);
	}
}

static void memset_matches_bytes(void)
{
	for (size_t off = 0; off < 16; off++) {
		for (size_t n = 0; n <= 130; n++) {
			for (int c = 0; c < 512; c += 0x7f) {
				for (size_t i = 0; i < sizeof(got); i++) {
					got[i] = want[i] = GUARD;
				}
				for (size_t i = 0; i < n; i++) {
					want[off + i] = (unsigned char)c;
				}
				CHECK(hp_memset(got + off, c, n) == got + off);
				CHECK(memcmp(got, want, sizeof(got)) == 0);
			}
		}
	}
}

static void memcpy_matches_bytes(void)
{
	for (size_t doff = 0; doff < 16; doff++) {
		for (size_t soff = 0; soff < 16; soff++) {
			for (size_t n = 0; n <= 130; n++) {
				fill_pattern(src, sizeof(src), (unsigned)(doff + soff + n));
				for (size_t i = 0; i < sizeof(got); i++) {
					got[i] = want[i] = GUARD;
				}
				for (size_t i = 0; i < n; i++) {
					want[doff + i] = src[soff + i];
				}
				CHECK(hp_memcpy(got + doff, src + soff, n) == got + doff);
				CHECK(memcmp(got, want, sizeof(got)) == 0);
			}
		}
	}
}

int main(void)
{
	RUN(memset_matches_bytes);
	RUN(memcpy_matches_bytes);
	return check_summary();
}
