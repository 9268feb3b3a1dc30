/* SPDX-License-Identifier: BSD-2-Clause */
/* The kernel's page pool: page_pool.c under a lock, pages zeroed when handed out. */
#include <string.h>
#include "page_alloc.h"
#include "spinlock.h"
#include "log.h"
#include "err.h"
#include "sysfs.h"
#include <stdio.h>

static struct page_pool pool;
static spinlock_t pool_lock = SPINLOCK_INIT;

void page_alloc_init(uintptr_t start, uintptr_t end)
{
	if (page_pool_init(&pool, start, end)) {
		panic("page allocator: no room in [%p, %p)", (void *)start, (void *)end);
	}
}

void *page_alloc(void)
{
	unsigned long flags = spin_lock_irqsave(&pool_lock);
	uintptr_t pa = page_pool_get(&pool);
	spin_unlock_irqrestore(&pool_lock, flags);
	if (pa) {
		memset((void *)pa, 0, PAGE_SIZE);
	}
	return (void *)pa;
}

void page_free(void *page)
{
	if (!page) {
		return;
	}
	unsigned long flags = spin_lock_irqsave(&pool_lock);
	int err = page_pool_put(&pool, (uintptr_t)page);
	spin_unlock_irqrestore(&pool_lock, flags);
	if (err) {
		pr_err("page_free: %s page %p\n", err == -EALREADY ? "double free of" : "bad", page);
	}
}

void page_alloc_stats(size_t *total, size_t *nfree)
{
	unsigned long flags = spin_lock_irqsave(&pool_lock);
	*total = pool.npages;
	*nfree = pool.nfree;
	spin_unlock_irqrestore(&pool_lock, flags);
}

/*
 * /sys/kernel/mm/pages: "free N" and "total N", for programs that check they gave
 * back every page they took (utorture), as meminfo shows it on the console.
 */
static int show_pages(void *arg, char *buf, size_t len)
{
	size_t total, nfree;
	(void)arg;
	page_alloc_stats(&total, &nfree);
	return snprintf(buf, len, "free %zu\ntotal %zu\n", nfree, total);
}

void page_alloc_sysfs_init(void)
{
	sysfs_add_file("/sys/kernel/mm/pages", show_pages, NULL, NULL);
}
