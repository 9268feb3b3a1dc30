/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Sv39 address translation. The kernel's half of every address space is the first
 * 128 GiB of virtual addresses (top-level entries 0-127), mapped once at boot with
 * 1 GiB global supervisor pages: RAM at its physical address, and the low gigabyte of
 * devices (read/write, never executable). User address spaces (top-level entries
 * 128-255, 4 KiB pages) copy those entries into their own root table. Each CPU switches to the table in arch_cpu_init
 * and then flushes its whole TLB: nothing promises a hart that comes (back) online a
 * clean one.
 */
#include <string.h>
#include "arch.h"
#include "csr.h"
#include "log.h"
#include "err.h"
#include "alloc.h"
#include "page_alloc.h"
#include "percpu.h"
#include "sched.h"
#include "smp.h"
#include "spinlock.h"
#include "param.h"
#include "cmdline.h"
#include "vm.h"
#include <stdio.h>

#define PTE_V (1ul << 0)
#define PTE_R (1ul << 1)
#define PTE_W (1ul << 2)
#define PTE_X (1ul << 3)
#define PTE_G (1ul << 5)
#define PTE_A (1ul << 6)
#define PTE_D (1ul << 7)
#define PTE_PPN_SHIFT 10
#define GIGA_SHIFT 30
#define SATP_SV39 (8ul << 60)
#define SATP_ASID_SHIFT 44
#define SATP_ASID_MASK 0xfffful
#define KERNEL_TOP_ENTRIES 128       /* VAs below 128 GiB are the kernel's */

static uint64_t kernel_root[512] __attribute__((aligned(4096)));
static unsigned long kernel_satp;
static unsigned int asid_bits;

static uint64_t giga_pte(uint64_t pa, uint64_t flags)
{
	/* Preset A and D: with Svade the hart would fault instead of setting them. */
	return ((pa >> 12) << PTE_PPN_SHIFT) | flags | PTE_V | PTE_G | PTE_A | PTE_D;
}

/*
 * Test aid, mmu.asid_bits=N (0-16): use at most N ASID bits, as a hart that has fewer
 * would; N = 0 is a hart without ASIDs. ASID 0 is the kernel's, so 2^N - 1 processes
 * get one of their own and the rest flush on every switch.
 */
static int asid_bits_cap = -1;

static int param_asid_bits(struct cmdline *cl, struct bootparam *bp, char *err, size_t len)
{
	unsigned long v;
	int ret = cmdline_get_uint(cl, bp->name, 0, 16, &v, err, len);
	if (!ret) {
		asid_bits_cap = (int)v;
	}
	return ret;
}
BOOT_PARAM("mmu.asid_bits", param_asid_bits);

void arch_mmu_init(uint64_t ram_base, uint64_t ram_size)
{
	uint64_t first = ram_base >> GIGA_SHIFT;
	uint64_t last = (ram_base + ram_size - 1) >> GIGA_SHIFT;

	if (first == 0 || last >= KERNEL_TOP_ENTRIES) {
		panic("mmu: RAM at 0x%llx (+0x%llx) is not inside 1-128 GiB", (unsigned long long)ram_base,
		      (unsigned long long)ram_size);
	}
	kernel_root[0] = giga_pte(0, PTE_R | PTE_W);
	for (uint64_t g = first; g <= last; g++) {
		kernel_root[g] = giga_pte(g << GIGA_SHIFT, PTE_R | PTE_W | PTE_X);
	}
	kernel_satp = SATP_SV39 | ((uintptr_t)kernel_root >> 12);
	arch_mmu_enable();
	/* The ASID field keeps only the bits the hart implements: write ones, read back. */
	csr_write(satp, kernel_satp | (SATP_ASID_MASK << SATP_ASID_SHIFT));
	unsigned long got = (csr_read(satp) >> SATP_ASID_SHIFT) & SATP_ASID_MASK;
	csr_write(satp, kernel_satp);
	__asm__ __volatile__("sfence.vma" ::: "memory");
	asid_bits = (unsigned int)__builtin_popcountl(got);
	pr_info("mmu: Sv39, %u ASID bits; kernel: %llu GiB of RAM and the device gigabyte\n",
		asid_bits, (unsigned long long)(last - first + 1));
	if (asid_bits_cap >= 0 && (unsigned int)asid_bits_cap < asid_bits) {
		asid_bits = (unsigned int)asid_bits_cap;
		pr_info("mmu: using %u ASID bits (mmu.asid_bits): %u ASIDs, then flush on switch\n",
			asid_bits, asid_bits ? (1u << asid_bits) - 1 : 0);
	}
}

/* Test aid, mmu.skip_online_flush=1: a CPU coming online keeps its TLB (the bug). */
static bool skip_online_flush;

static int param_skip_flush(struct cmdline *cl, struct bootparam *bp, char *err, size_t len)
{
	(void)cl;
	if (!bp->value || strcmp(bp->value, "1") != 0) {
		snprintf(err, len, "'mmu.skip_online_flush': 1");
		return -EINVAL;
	}
	skip_online_flush = true;
	return 0;
}
BOOT_PARAM("mmu.skip_online_flush", param_skip_flush);

void arch_mmu_enable(void)
{
	if (!kernel_satp) {
		return;                      /* before arch_mmu_init: the boot CPU's early calls */
	}
	csr_write(satp, kernel_satp);
	if (skip_online_flush) {
		return;
	}
	__asm__ __volatile__("sfence.vma" ::: "memory");
	__asm__ __volatile__("fence.i" ::: "memory");
	tlb_full_flush_done();
}

unsigned int arch_asid_bits(void)
{
	return asid_bits;
}

bool arch_mmu_on(void)
{
	return (csr_read(satp) >> 60) == 8;
}

/* ---- user address spaces ---- */

#define PTE_U (1ul << 4)
#define LEVELS 3
#define VPN(va, level) (((va) >> (12 + 9 * (level))) & 0x1ff)
#define PTE_TABLE(pte) ((uint64_t *)(((pte) >> PTE_PPN_SHIFT) << 12))
#define MAX_ASIDS 4096u

struct arch_as {
	uint64_t *root;
	unsigned int asid;           /* 0: none of its own, flush on every switch */
	unsigned long satp;          /* what arch_as_activate writes: Sv39, asid, root */
};

static uint64_t asid_used[MAX_ASIDS / 64];
static spinlock_t asid_lock = SPINLOCK_INIT;
unsigned long mmu_asid_flushes;

static unsigned int asid_alloc(void)
{
	unsigned int n = asid_bits >= 12 ? MAX_ASIDS : 1u << asid_bits;
	unsigned int got = 0;
	unsigned long flags = spin_lock_irqsave(&asid_lock);
	for (unsigned int a = 1; a < n && !got; a++) {   /* ASID 0 is the kernel's */
		if (!(asid_used[a / 64] & (1ull << (a % 64)))) {
			asid_used[a / 64] |= 1ull << (a % 64);
			got = a;
		}
	}
	spin_unlock_irqrestore(&asid_lock, flags);
	return got;
}

static void flush_asid_local(void *arg)
{
	unsigned long asid = (unsigned long)arg;
	__asm__ __volatile__("sfence.vma zero, %0" : : "r"(asid) : "memory");
}

/*
 * Before an ASID is handed out again, no CPU may keep entries tagged with it: the
 * online ones fence it now; an offline one flushes everything when it comes back
 * (arch_mmu_enable), so it is never asked (no remote fence to a stopped hart).
 */
static void asid_free(unsigned int asid)
{
	if (!asid) {
		return;
	}
	preempt_disable();
	smp_call_function_many(&cpu_online_mask, flush_asid_local, (void *)(uintptr_t)asid, true);
	flush_asid_local((void *)(uintptr_t)asid);
	preempt_enable();
	mmu_asid_flushes++;
	unsigned long flags = spin_lock_irqsave(&asid_lock);
	asid_used[asid / 64] &= ~(1ull << (asid % 64));
	spin_unlock_irqrestore(&asid_lock, flags);
}

struct arch_as *arch_as_create(void)
{
	struct arch_as *as = kzalloc(sizeof(*as));
	if (!as) {
		return NULL;
	}
	as->root = page_alloc();
	if (!as->root) {
		kfree(as);
		return NULL;
	}
	/* The kernel's half: the same gigapage entries in every address space. */
	memcpy(as->root, kernel_root, KERNEL_TOP_ENTRIES * sizeof(uint64_t));
	as->asid = asid_alloc();
	as->satp = SATP_SV39 | ((unsigned long)as->asid << SATP_ASID_SHIFT) |
		   ((uintptr_t)as->root >> 12);
	return as;
}

int arch_as_map(struct arch_as *as, uintptr_t va, void *page, unsigned int prot)
{
	if (va < ARCH_USER_BASE || va >= ARCH_USER_TOP || va % PAGE_SIZE || (uintptr_t)page % PAGE_SIZE) {
		return -EINVAL;
	}
	if ((prot & ARCH_PROT_W) && (prot & ARCH_PROT_X)) {
		return -EINVAL;              /* W^X */
	}
	if (!(prot & (ARCH_PROT_R | ARCH_PROT_X))) {
		return -EINVAL;              /* W alone is reserved; nothing at all maps nothing */
	}
	uint64_t *table = as->root;
	for (int level = LEVELS - 1; level > 0; level--) {
		uint64_t *pte = &table[VPN(va, level)];
		if (!(*pte & PTE_V)) {
			uint64_t *next = page_alloc();
			if (!next) {
				return -ENOMEM;
			}
			*pte = (((uintptr_t)next >> 12) << PTE_PPN_SHIFT) | PTE_V;
		}
		table = PTE_TABLE(*pte);
	}
	uint64_t *leaf = &table[VPN(va, 0)];
	if (*leaf & PTE_V) {
		return -EEXIST;
	}
	uint64_t flags = PTE_V | PTE_U | PTE_A | PTE_D;
	flags |= (prot & ARCH_PROT_R) ? PTE_R : 0;
	flags |= (prot & ARCH_PROT_W) ? PTE_W : 0;
	flags |= (prot & ARCH_PROT_X) ? PTE_X : 0;
	*leaf = (((uintptr_t)page >> 12) << PTE_PPN_SHIFT) | flags;
	return 0;
}

/* Frees a user table and what it maps: user pages belong to their address space. */
static void free_table(uint64_t *table, int level)
{
	for (unsigned int i = 0; i < 512; i++) {
		uint64_t pte = table[i];
		if (!(pte & PTE_V)) {
			continue;
		}
		if (level > 0 && !(pte & (PTE_R | PTE_W | PTE_X))) {
			free_table(PTE_TABLE(pte), level - 1);
		} else {
			page_free(PTE_TABLE(pte));
		}
	}
	page_free(table);
}

void arch_as_destroy(struct arch_as *as)
{
	if (!as) {
		return;
	}
	for (unsigned int i = KERNEL_TOP_ENTRIES; i < 512; i++) {
		uint64_t pte = as->root[i];
		if (pte & PTE_V) {
			free_table(PTE_TABLE(pte), LEVELS - 2);
		}
	}
	asid_free(as->asid);
	page_free(as->root);
	kfree(as);
}

bool arch_as_activate(struct arch_as *as)
{
	if (!as) {
		csr_write(satp, kernel_satp);
		return false;
	}
	csr_write(satp, as->satp);
	if (!as->asid) {
		/* Shared ASID 0: whatever the last space left behind must go. */
		__asm__ __volatile__("sfence.vma" ::: "memory");
		return true;
	}
	return false;
}

/* The leaf PTE of @va, or NULL when no table leads there. */
static uint64_t *leaf_of(struct arch_as *as, uintptr_t va)
{
	uint64_t *table = as->root;
	for (int level = LEVELS - 1; level > 0; level--) {
		uint64_t pte = table[VPN(va, level)];
		if (!(pte & PTE_V) || (pte & (PTE_R | PTE_W | PTE_X))) {
			return NULL;
		}
		table = PTE_TABLE(pte);
	}
	return &table[VPN(va, 0)];
}

void *arch_as_unmap(struct arch_as *as, uintptr_t va)
{
	if (va < ARCH_USER_BASE || va >= ARCH_USER_TOP || va % PAGE_SIZE) {
		return NULL;
	}
	uint64_t *leaf = leaf_of(as, va);
	if (!leaf || !(*leaf & PTE_V)) {
		return NULL;
	}
	void *page = PTE_TABLE(*leaf);
	*leaf = 0;
	return page;
}

int arch_as_protect(struct arch_as *as, uintptr_t va, unsigned int prot)
{
	if ((prot & ARCH_PROT_W) && (prot & ARCH_PROT_X)) {
		return -EINVAL;
	}
	if (!(prot & (ARCH_PROT_R | ARCH_PROT_X))) {
		return -EINVAL;
	}
	if (va < ARCH_USER_BASE || va >= ARCH_USER_TOP || va % PAGE_SIZE) {
		return -EINVAL;
	}
	uint64_t *leaf = leaf_of(as, va);
	if (!leaf || !(*leaf & PTE_V)) {
		return -ENOMEM;              /* Linux's answer for an unmapped range */
	}
	uint64_t old = *leaf, perm = PTE_R | PTE_W | PTE_X;
	uint64_t now = ((prot & ARCH_PROT_R) ? PTE_R : 0) | ((prot & ARCH_PROT_W) ? PTE_W : 0) |
		       ((prot & ARCH_PROT_X) ? PTE_X : 0);
	*leaf = (old & ~perm) | now;
	return (old & perm & ~now) ? 1 : 0;   /* 1: a permission went: fences are due */
}

bool arch_as_mapped(struct arch_as *as, uintptr_t va)
{
	uint64_t *leaf = leaf_of(as, va);
	return leaf && (*leaf & PTE_V);
}

void arch_as_flush_local(struct arch_as *as)
{
	if (as->asid) {
		__asm__ __volatile__("sfence.vma zero, %0" : : "r"((unsigned long)as->asid) : "memory");
	} else {
		__asm__ __volatile__("sfence.vma" ::: "memory");
	}
}
