/* SPDX-License-Identifier: BSD-2-Clause */
/* Kernel memory: power-of-two size classes carved from one heap region. */
#ifndef HP_ALLOC_H
#define HP_ALLOC_H

#include "kernel.h"

void alloc_init(uintptr_t start, uintptr_t end);
void *kmalloc(size_t size);            /* NULL when out of memory; 16-byte aligned */
void *kzalloc(size_t size);
void kfree(void *p);
struct alloc_stats {
	size_t heap_bytes;                 /* size of the heap region */
	size_t carved_bytes;               /* taken from the region so far */
	size_t live_objects;               /* allocated and not freed */
	size_t live_bytes;
};
void alloc_get_stats(struct alloc_stats *s);

#endif
