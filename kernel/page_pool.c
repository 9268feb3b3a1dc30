/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A pool of 4 KiB physical pages with one bit each (set: handed out). The bitmap sits
 * in the pool's first pages, so the pool needs nothing else. Freeing checks the
 * address, so a wild or double free is refused instead of corrupting the pool. Pure
 * logic without locks: page_alloc.c adds the lock and the zeroing.
 */
#include "page_pool.h"
#include "bitops.h"
#include "err.h"

#define BITS 64u

static bool test_bit(const struct page_pool *pp, size_t i)
{
	return (pp->used[i / BITS] >> (i % BITS)) & 1u;
}

int page_pool_init(struct page_pool *pp, uintptr_t start, uintptr_t end)
{
	start = (start + PAGE_SIZE - 1) & ~(uintptr_t)(PAGE_SIZE - 1);
	end &= ~(uintptr_t)(PAGE_SIZE - 1);
	if (end <= start) {
		return -EINVAL;
	}
	size_t total = (end - start) / PAGE_SIZE;
	/* Bitmap pages come off the front; what is left is the pool. */
	size_t map_bytes = (total + BITS - 1) / BITS * sizeof(uint64_t);
	size_t map_pages = (map_bytes + PAGE_SIZE - 1) / PAGE_SIZE;
	if (map_pages >= total) {
		return -EINVAL;
	}
	pp->used = (uint64_t *)start;
	pp->base = start + map_pages * PAGE_SIZE;
	pp->npages = total - map_pages;
	pp->nfree = pp->npages;
	pp->hint = 0;
	for (size_t w = 0; w < (pp->npages + BITS - 1) / BITS; w++) {
		pp->used[w] = 0;
	}
	/* Bits past the last page read as used, so the search never hands them out. */
	for (size_t i = pp->npages; i % BITS; i++) {
		pp->used[i / BITS] |= 1ull << (i % BITS);
	}
	return 0;
}

uintptr_t page_pool_get(struct page_pool *pp)
{
	size_t words = (pp->npages + BITS - 1) / BITS;

	if (pp->nfree == 0) {
		return 0;
	}
	/* Next fit from the last word that had room: the scan is short while pages last. */
	for (size_t k = 0; k < words; k++) {
		size_t w = (pp->hint + k) % words;
		if (pp->used[w] != ~0ull) {
			unsigned int bit = ctz64(~pp->used[w]);
			pp->used[w] |= 1ull << bit;
			pp->nfree--;
			pp->hint = w;
			return pp->base + (w * BITS + bit) * PAGE_SIZE;
		}
	}
	return 0;
}

int page_pool_put(struct page_pool *pp, uintptr_t pa)
{
	if (pa < pp->base || pa >= pp->base + pp->npages * PAGE_SIZE || pa % PAGE_SIZE) {
		return -EINVAL;
	}
	size_t i = (pa - pp->base) / PAGE_SIZE;
	if (!test_bit(pp, i)) {
		return -EALREADY;
	}
	pp->used[i / BITS] &= ~(1ull << (i % BITS));
	pp->nfree++;
	return 0;
}
