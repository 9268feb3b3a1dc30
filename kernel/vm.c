/* SPDX-License-Identifier: BSD-2-Clause */
/* User memory system calls, TLB shootdown and the stale-TLB check (vm.h). */
#include "vm.h"
#include "process.h"
#include "page_alloc.h"
#include "percpu.h"
#include "smp.h"
#include "log.h"
#include "err.h"
#include "atomic.h"

#define MAP_MAX (64u << 20)          /* one call maps at most 64 MiB */
#define MAP_AREA 0x3000000000ul      /* where the kernel puts maps it chooses: 192 GiB up */
#define BATCH 64                     /* pages unmapped per fence */

static uint64_t tlb_clock;

static uint64_t tick(void)
{
	return __atomic_add_fetch(&tlb_clock, 1, __ATOMIC_SEQ_CST);
}

void tlb_full_flush_done(void)
{
	this_cpu()->tlb_flushed = tick();
	this_cpu()->tlb_clean = true;
}

/*
 * Shootdowns aim at the online CPUs. One whose targets were chosen between a coming
 * CPU's flush and its online bit passes it by, yet it holds nothing to fence: it has
 * run no user code since the flush. So its flush counts from the moment it can be
 * aimed at (the check would otherwise see it older than that narrowing). Only a CPU
 * that did flush on the way up: mmu.skip_online_flush must still be caught.
 */
void tlb_cpu_online(void)
{
	struct cpu *c = this_cpu();
	if (c->tlb_clean) {
		c->tlb_clean = false;
		c->tlb_flushed = tick();     /* after the online bit: seq_cst, as the shootdown's read */
	}
}

void vm_activated(struct process *p, unsigned int cpu, bool flushed)
{
	uint64_t bit = 1ull << (cpu % 64);
	uint64_t old = __atomic_fetch_or(&p->tlb_cpus.bits[cpu / 64], bit, __ATOMIC_SEQ_CST);
	/*
	 * The first time a CPU takes this address space it holds none of its entries: the
	 * ASID was fenced everywhere when it was last freed (offline CPUs flush on the way
	 * up), so whatever narrowing came before is no concern of this CPU.
	 */
	if (flushed || !(old & bit)) {
		p->fenced[cpu] = tick();
	}
}

void vm_check_user_entry(void)
{
	struct task *t = current_task();
	struct process *p = t->proc;
	unsigned int cpu = this_cpu_id();
	uint64_t gen = READ_ONCE(p->tlb_done);

	if (vm_entry_may_be_stale(&p->fenced[cpu], gen, this_cpu()->tlb_flushed) &&
	    !p->stale_reported) {
		p->stale_reported = true;
		pr_err("BUG: stale TLB for %d on cpu%u\n", p->pid, cpu);
	}
}

static void fence_here(void *arg)
{
	struct process *p = arg;
	uint64_t gen = READ_ONCE(p->tlb_gen);
	arch_as_flush_local(p->as);
	p->fenced[this_cpu_id()] = gen;
}

/*
 * After an unmap or a narrowing: every online CPU that may cache @p's entries fences.
 * Under p->vm_lock, so one runs at a time and tlb_done only grows.
 */
static void shootdown(struct process *p)
{
	struct cpumask targets;
	uint64_t gen = tick();

	WRITE_ONCE(p->tlb_gen, gen);
	preempt_disable();
	cpumask_and(&targets, &p->tlb_cpus, &cpu_online_mask);
	cpumask_unset(&targets, this_cpu_id());
	smp_call_function_many(&targets, fence_here, p, true);
	fence_here(p);
	store_release(&p->tlb_done, gen);
	preempt_enable();
}

static bool range_ok(uintptr_t addr, size_t len)
{
	return addr >= ARCH_USER_BASE && addr < ARCH_USER_TOP && addr % PAGE_SIZE == 0 && len &&
	       len % PAGE_SIZE == 0 && len <= MAP_MAX && len <= ARCH_USER_TOP - addr;
}

static unsigned int arch_prot(unsigned int prot)
{
	return prot & (ARCH_PROT_R | ARCH_PROT_W | ARCH_PROT_X);
}

/* The W^X and readable-or-executable rule, and no unknown bit in the whole word. */
static bool prot_ok(unsigned long prot)
{
	return !(prot & ~7ul) && !((prot & ARCH_PROT_W) && (prot & ARCH_PROT_X)) &&
	       (prot & (ARCH_PROT_R | ARCH_PROT_X));
}

static long unmap_locked(struct process *p, uintptr_t addr, size_t len);

/*
 * Where a map of @len that the kernel chooses goes: the first free range from where
 * the last one ended, once round the area. A fixed map the program made in the area
 * is stepped over, never answered EEXIST: the program did not name that address. 0 if
 * no range is free. @len is one range_ok() takes.
 */
static uintptr_t choose(struct process *p, size_t len)
{
	uintptr_t start = p->map_next ? p->map_next : MAP_AREA, at = start;
	bool wrapped = false;
	/* Once round: from start to the top, then from the bottom back to start. */
	while (!wrapped || at < start) {
		if (at + len > ARCH_USER_TOP) {
			if (wrapped) {
				break;
			}
			wrapped = true;
			at = MAP_AREA;
			continue;
		}
		size_t off = 0;
		while (off < len && !arch_as_mapped(p->as, at + off)) {
			off += PAGE_SIZE;
		}
		if (off == len) {
			return at;
		}
		at += off + PAGE_SIZE;      /* past the mapped page found */
	}
	return 0;
}

static long map_locked(struct process *p, uintptr_t addr, size_t len, unsigned int prot)
{
	bool chosen = addr == 0;
	if (chosen) {
		if (!range_ok(MAP_AREA, len)) {
			return -EINVAL;
		}
		addr = choose(p, len);
		if (!addr) {
			return -ENOMEM;
		}
	}
	if (!range_ok(addr, len)) {
		return -EINVAL;
	}
	for (size_t off = 0; off < len; off += PAGE_SIZE) {
		if (arch_as_mapped(p->as, addr + off)) {
			return -EEXIST;
		}
	}
	for (size_t off = 0; off < len; off += PAGE_SIZE) {
		void *page = page_alloc();
		int err = page ? arch_as_map(p->as, addr + off, page, arch_prot(prot)) : -ENOMEM;
		if (err) {
			page_free(page);
			/* Nothing half-done: take back what this call mapped. */
			if (off) {
				unmap_locked(p, addr, off);
			}
			return err;
		}
	}
	if (chosen) {
		p->map_next = addr + len;
	}
	return (long)addr;
}

long vm_map(struct process *p, uintptr_t addr, size_t len, unsigned long prot)
{
	if (!prot_ok(prot)) {
		return -EINVAL;
	}
	mutex_lock(&p->vm_lock);
	long ret = map_locked(p, addr, len, (unsigned int)prot);
	mutex_unlock(&p->vm_lock);
	return ret;
}

static long unmap_locked(struct process *p, uintptr_t addr, size_t len)
{
	void *pages[BATCH];

	for (size_t off = 0; off < len;) {
		unsigned int n = 0;
		for (; off < len && n < BATCH; off += PAGE_SIZE) {
			void *page = arch_as_unmap(p->as, addr + off);
			if (page) {
				pages[n++] = page;
			}
		}
		if (n) {
			shootdown(p);            /* nobody may still reach a page we free */
			for (unsigned int i = 0; i < n; i++) {
				page_free(pages[i]);
			}
		}
	}
	return 0;
}

long vm_unmap(struct process *p, uintptr_t addr, size_t len)
{
	if (!range_ok(addr, len)) {
		return -EINVAL;
	}
	mutex_lock(&p->vm_lock);
	long ret = unmap_locked(p, addr, len);
	mutex_unlock(&p->vm_lock);
	return ret;
}

static long protect_locked(struct process *p, uintptr_t addr, size_t len, unsigned int prot)
{
	bool narrowed = false;

	for (size_t off = 0; off < len; off += PAGE_SIZE) {
		if (!arch_as_mapped(p->as, addr + off)) {
			return -ENOMEM;      /* checked first: all or nothing */
		}
	}
	for (size_t off = 0; off < len; off += PAGE_SIZE) {
		narrowed |= arch_as_protect(p->as, addr + off, arch_prot(prot)) == 1;
	}
	if (narrowed) {
		shootdown(p);
	}
	return 0;
}

long vm_protect(struct process *p, uintptr_t addr, size_t len, unsigned long prot)
{
	if (!prot_ok(prot) || !range_ok(addr, len)) {
		return -EINVAL;
	}
	mutex_lock(&p->vm_lock);
	long ret = protect_locked(p, addr, len, (unsigned int)prot);
	mutex_unlock(&p->vm_lock);
	return ret;
}
