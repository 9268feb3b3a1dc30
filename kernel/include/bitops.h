/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef HP_BITOPS_H
#define HP_BITOPS_H
#include <stdint.h>

/*
 * The number of trailing zero bits of @x, which must not be 0. rv64imac has no such
 * instruction and the compiler's __builtin_ctzll calls libgcc's __ctzdi2, some forty
 * instructions; this takes six. The lowest set bit times a de Bruijn sequence puts a
 * distinct 6-bit pattern in the top bits for each position, which the table maps back
 * (the table is that sequence's inverse: tests/host/test_cpumask.c checks every bit).
 */
static inline unsigned int ctz64(uint64_t x)
{
	static const unsigned char position[64] = {
		0, 1, 48, 2, 57, 49, 28, 3, 61, 58, 50, 42, 38, 29, 17, 4,
		62, 55, 59, 36, 53, 51, 43, 22, 45, 39, 33, 30, 24, 18, 12, 5,
		63, 47, 56, 27, 60, 41, 37, 16, 54, 35, 52, 21, 44, 32, 23, 11,
		46, 26, 40, 15, 34, 20, 31, 10, 25, 14, 19, 9, 13, 8, 7, 6,
	};
	return position[((x & -x) * 0x03f79d71b4cb0a89ull) >> 58];
}

#endif
