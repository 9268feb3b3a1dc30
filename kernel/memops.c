/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Filling and copying memory a 64-bit word at a time. picolibc's memset and memcpy for
 * rv64imac store one byte per turn of a four-instruction loop: zeroing a task is 4,000
 * instructions that way, and poisoning a freed 8 KiB stack 32,000. Compiled without
 * link-time optimization and without the compiler's own memset/memcpy patterns, so
 * that these loops never turn into calls to themselves.
 */
#include <stdint.h>
#include "memops.h"

typedef uint64_t __attribute__((may_alias)) word_t;

void *hp_memset(void *dst, int c, size_t n)
{
	unsigned char *d = dst;
	unsigned char b = (unsigned char)c;

	while (n && ((uintptr_t)d & 7)) {
		*d++ = b;
		n--;
	}
	word_t w = b * 0x0101010101010101ull;
	word_t *q = (word_t *)d;
	for (; n >= 32; n -= 32, q += 4) {
		q[0] = w;
		q[1] = w;
		q[2] = w;
		q[3] = w;
	}
	for (; n >= 8; n -= 8) {
		*q++ = w;
	}
	d = (unsigned char *)q;
	while (n--) {
		*d++ = b;
	}
	return dst;
}

void *hp_memcpy(void *restrict dst, const void *restrict src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	/* Words only when both can be aligned together; otherwise bytes, as before. */
	if ((((uintptr_t)d ^ (uintptr_t)s) & 7) == 0) {
		while (n && ((uintptr_t)d & 7)) {
			*d++ = *s++;
			n--;
		}
		word_t *qd = (word_t *)d;
		const word_t *qs = (const word_t *)s;
		for (; n >= 8; n -= 8) {
			*qd++ = *qs++;
		}
		d = (unsigned char *)qd;
		s = (const unsigned char *)qs;
	}
	while (n--) {
		*d++ = *s++;
	}
	return dst;
}
