/* SPDX-License-Identifier: BSD-2-Clause */
/* The kernel's memset and memcpy, in place of picolibc's (memops.c says why). */
#include <string.h>
#include "memops.h"

void *memset(void *dst, int c, size_t n)
{
	return hp_memset(dst, c, n);
}

void *memcpy(void *restrict dst, const void *restrict src, size_t n)
{
	return hp_memcpy(dst, src, n);
}
