/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Kernel heap: blocks of 32 B to 64 KiB in power-of-two classes. A block is carved
 * from the heap region once and afterwards recycled through its class's free list, so
 * the heap never fragments and "live objects" counts leaks exactly.
 */
#include <string.h>
#include "alloc.h"
#include "page_alloc.h"
#include "command.h"
#include "spinlock.h"
#include "log.h"

#define MIN_SHIFT 5
#define MAX_SHIFT 16
#define CLASSES (MAX_SHIFT - MIN_SHIFT + 1)
#define HEADER 16               /* keeps user pointers 16-byte aligned */
#define MAGIC_LIVE 0x4c495645u  /* "LIVE" */
#define MAGIC_FREE 0x46524545u  /* "FREE" */
#define POISON_FREE 0x6b        /* as Linux's slab poisoning: a use after free reads 6b6b... */
#define POISON_WORD 0x6b6b6b6b6b6b6b6bull

struct block {
	uint32_t magic;
	uint32_t cls;
	struct block *next_free;
};

static spinlock_t heap_lock = SPINLOCK_INIT;
static uintptr_t heap_start, heap_next, heap_end;
static struct block *free_list[CLASSES];
/*
 * Freed blocks wait here, poisoned, before they can be handed out again (KASAN calls
 * this quarantine): a use after free then reads poison rather than someone's new data.
 */
#define QUARANTINE 16
static struct block *quarantine[QUARANTINE];
static unsigned int quarantine_next;
static size_t live_objects, live_bytes;

void alloc_init(uintptr_t start, uintptr_t end)
{
	heap_start = ALIGN_UP(start, 16);
	heap_next = heap_start;
	heap_end = end;
}

static int class_of(size_t size)
{
	size_t need = size + HEADER;
	for (int c = 0; c < CLASSES; c++) {
		if (need <= (size_t)1 << (c + MIN_SHIFT)) {
			return c;
		}
	}
	return -1;
}

void *kmalloc(size_t size)
{
	int cls = class_of(size);
	struct block *b = NULL;

	if (cls < 0) {
		return NULL;
	}
	size_t bytes = (size_t)1 << (cls + MIN_SHIFT);
	unsigned long flags = spin_lock_irqsave(&heap_lock);
	if (free_list[cls]) {
		b = free_list[cls];
		free_list[cls] = b->next_free;
		const uint64_t *w = (const uint64_t *)((char *)b + HEADER);
		if (w[0] != POISON_WORD || w[1] != POISON_WORD) {
			pr_err("BUG: heap block %p was written after it was freed (%016llx)\n",
			       (void *)((char *)b + HEADER), (unsigned long long)w[0]);
		}
	} else if (heap_end - heap_next >= bytes) {
		b = (struct block *)heap_next;
		heap_next += bytes;
	}
	if (b) {
		b->magic = MAGIC_LIVE;
		b->cls = (uint32_t)cls;
		live_objects++;
		live_bytes += bytes;
	}
	spin_unlock_irqrestore(&heap_lock, flags);
	return b ? (char *)b + HEADER : NULL;
}

void *kzalloc(size_t size)
{
	void *p = kmalloc(size);
	if (p) {
		memset(p, 0, size);
	}
	return p;
}

void kfree(void *p)
{
	if (!p) {
		return;
	}
	struct block *b = (struct block *)((char *)p - HEADER);
	if ((uintptr_t)b < heap_start || (uintptr_t)b >= heap_next || b->magic != MAGIC_LIVE) {
		/* A double free or a wild pointer: refuse it rather than corrupt the lists. */
		pr_err("kfree: bad pointer %p (magic %08x)\n", p,
		       (uintptr_t)b >= heap_start && (uintptr_t)b < heap_next ? b->magic : 0);
		return;
	}
	/* Poisoned, so whoever still holds a pointer sees garbage instead of stale data. */
	memset(p, POISON_FREE, ((size_t)1 << (b->cls + MIN_SHIFT)) - HEADER);
	unsigned long flags = spin_lock_irqsave(&heap_lock);
	b->magic = MAGIC_FREE;
	struct block *old = quarantine[quarantine_next];
	quarantine[quarantine_next] = b;
	quarantine_next = (quarantine_next + 1) % QUARANTINE;
	if (old) {
		old->next_free = free_list[old->cls];
		free_list[old->cls] = old;
	}
	live_objects--;
	live_bytes -= (size_t)1 << (b->cls + MIN_SHIFT);
	spin_unlock_irqrestore(&heap_lock, flags);
}

void alloc_get_stats(struct alloc_stats *s)
{
	unsigned long flags = spin_lock_irqsave(&heap_lock);
	s->heap_bytes = heap_end - heap_start;
	s->carved_bytes = heap_next - heap_start;
	s->live_objects = live_objects;
	s->live_bytes = live_bytes;
	spin_unlock_irqrestore(&heap_lock, flags);
}

static int cmd_meminfo(int argc, char **argv)
{
	struct alloc_stats s;
	(void)argc;
	(void)argv;
	alloc_get_stats(&s);
	size_t pages, nfree;
	page_alloc_stats(&pages, &nfree);
	console_printf("heap %zu KiB, carved %zu KiB, live objects %zu (%zu bytes); pages %zu free of %zu\n",
		       s.heap_bytes / 1024, s.carved_bytes / 1024, s.live_objects, s.live_bytes,
		       nfree, pages);
	return 0;
}
SHELL_COMMAND("meminfo", "meminfo", cmd_meminfo);
