/* SPDX-License-Identifier: BSD-2-Clause */
/* page_pool.*: every page handed out once, wild and double frees refused. */
#include <stdlib.h>
#include "check.h"
#include "page_pool.h"
#include "err.h"

static void *region(size_t pages)
{
	void *p = aligned_alloc(PAGE_SIZE, pages * PAGE_SIZE);
	CHECK(p != NULL);
	return p;
}

static void hands_out_every_page_once(void)
{
	const size_t pages = 300;            /* bitmap: one page; 299 left */
	char *r = region(pages);
	struct page_pool pp;
	CHECK(page_pool_init(&pp, (uintptr_t)r, (uintptr_t)(r + pages * PAGE_SIZE)) == 0);
	CHECK(pp.npages == pages - 1 && pp.nfree == pp.npages);
	CHECK(pp.base == (uintptr_t)r + PAGE_SIZE);
	static unsigned char seen[300];
	size_t got = 0;
	for (uintptr_t pa; (pa = page_pool_get(&pp)) != 0; got++) {
		CHECK(pa % PAGE_SIZE == 0 && pa >= pp.base && pa < pp.base + pp.npages * PAGE_SIZE);
		size_t i = (pa - pp.base) / PAGE_SIZE;
		CHECK(!seen[i]);
		seen[i] = 1;
	}
	CHECK(got == pp.npages && pp.nfree == 0);
	/* Freed pages come back, and only those. */
	CHECK(page_pool_put(&pp, pp.base + 7 * PAGE_SIZE) == 0);
	CHECK(page_pool_put(&pp, pp.base + 298 * PAGE_SIZE) == 0);
	CHECK(pp.nfree == 2);
	uintptr_t a = page_pool_get(&pp), b = page_pool_get(&pp);
	CHECK((a == pp.base + 7 * PAGE_SIZE && b == pp.base + 298 * PAGE_SIZE) ||
	      (b == pp.base + 7 * PAGE_SIZE && a == pp.base + 298 * PAGE_SIZE));
	CHECK(page_pool_get(&pp) == 0);
	free(r);
}

static void refuses_bad_frees(void)
{
	char *r = region(16);
	struct page_pool pp;
	CHECK(page_pool_init(&pp, (uintptr_t)r, (uintptr_t)(r + 16 * PAGE_SIZE)) == 0);
	uintptr_t pa = page_pool_get(&pp);
	CHECK(page_pool_put(&pp, pa + 8) == -EINVAL);              /* not a page start */
	CHECK(page_pool_put(&pp, pp.base - PAGE_SIZE) == -EINVAL); /* the bitmap page */
	CHECK(page_pool_put(&pp, pp.base + pp.npages * PAGE_SIZE) == -EINVAL);
	CHECK(page_pool_put(&pp, pa) == 0);
	CHECK(page_pool_put(&pp, pa) == -EALREADY);                /* double free */
	CHECK(pp.nfree == pp.npages);
	free(r);
}

static void refuses_tiny_regions(void)
{
	char *r = region(2);
	struct page_pool pp;
	CHECK(page_pool_init(&pp, (uintptr_t)r, (uintptr_t)r + PAGE_SIZE) == -EINVAL);
	CHECK(page_pool_init(&pp, (uintptr_t)r + 1, (uintptr_t)r + PAGE_SIZE + 100) == -EINVAL);
	CHECK(page_pool_init(&pp, (uintptr_t)r, (uintptr_t)r + 2 * PAGE_SIZE) == 0);
	CHECK(pp.npages == 1);
	free(r);
}

int main(void)
{
	RUN(hands_out_every_page_once);
	RUN(refuses_bad_frees);
	RUN(refuses_tiny_regions);
	return check_summary();
}
