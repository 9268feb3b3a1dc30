/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef HP_MEMOPS_H
#define HP_MEMOPS_H
#include <stddef.h>

/*
 * memset and memcpy a machine word at a time (memops.c); the kernel's memset and
 * memcpy (memops_libc.c) are these, in place of picolibc's byte loops.
 */
void *hp_memset(void *dst, int c, size_t n);
void *hp_memcpy(void *restrict dst, const void *restrict src, size_t n);

#endif
