/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Sv39 address translation. The kernel's half of every address space is the first
 * 128 GiB of virtual addresses (top-level entries 0-127), mapped once at boot with
 * 1 GiB global supervisor pages: RAM at its physical address, and the low gigabyte of
 * devices (read/write, never executable). User address spaces (top-level entries
 * 128-255) will share those entries. Each CPU switches to the table in arch_cpu_init
 * and then flushes its whole TLB: nothing promises a hart that comes (back) online a
 * clean one.
 */
#include <string.h>
#include "arch.h"
#include "csr.h"
#include "log.h"

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
}

void arch_mmu_enable(void)
{
	if (!kernel_satp) {
		return;                      /* before arch_mmu_init: the boot CPU's early calls */
	}
	csr_write(satp, kernel_satp);
	__asm__ __volatile__("sfence.vma" ::: "memory");
	__asm__ __volatile__("fence.i" ::: "memory");
}

unsigned int arch_asid_bits(void)
{
	return asid_bits;
}

bool arch_mmu_on(void)
{
	return (csr_read(satp) >> 60) == 8;
}
