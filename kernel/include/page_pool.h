/* SPDX-License-Identifier: BSD-2-Clause */
/* A pool of 4 KiB physical pages, one bit each (page_pool.c); no locking. */
#ifndef HP_PAGE_POOL_H
#define HP_PAGE_POOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PAGE_SIZE 4096u

struct page_pool {
	uintptr_t base;          /* first page handed out */
	size_t npages;           /* pages in the pool (the bitmap's are not) */
	size_t nfree;
	size_t hint;             /* bitmap word to look at first */
	uint64_t *used;          /* one bit a page, in the region's first pages */
};

/* Over [start, end), rounded inwards to pages; -EINVAL if too small. */
int page_pool_init(struct page_pool *pp, uintptr_t start, uintptr_t end);
/* A free page's address, or 0 when none is left. */
uintptr_t page_pool_get(struct page_pool *pp);
/* 0; -EINVAL for an address that is not one of the pool's pages; -EALREADY if free. */
int page_pool_put(struct page_pool *pp, uintptr_t pa);

#endif
