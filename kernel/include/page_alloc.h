/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Physical pages for page tables and user memory (page_alloc.c), apart from the heap.
 * The kernel maps all RAM at its physical address, so a page's address is also where
 * the kernel reaches it.
 */
#ifndef HP_PAGE_ALLOC_H
#define HP_PAGE_ALLOC_H

#include "page_pool.h"

void page_alloc_init(uintptr_t start, uintptr_t end);
void *page_alloc(void);              /* a zeroed page, or NULL when none is left */
void page_free(void *page);          /* NULL is ignored; a bad pointer is reported */
void page_alloc_stats(size_t *total, size_t *nfree);
/* /sys/kernel/mm/pages (after sysfs is up). */
void page_alloc_sysfs_init(void);

#endif
