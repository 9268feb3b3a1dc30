/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * User memory and the TLB rule (vm.c). Every unmap or narrowing of a process's
 * mappings takes a new value of one global clock; each CPU records, per process, the
 * clock value it last fenced at, and the value of its last full flush (done when it
 * comes online). A CPU whose two records are both older than the process's last
 * narrowing whose shootdown has finished may hold stale entries: entering user mode
 * there is reported as "BUG: stale TLB for PID on cpuN". (One still fencing is no
 * bug: its pages are freed only once every target has fenced, so a thread that
 * enters user mode on another CPU meanwhile reaches a page it may still reach.) Fences go only to online CPUs that may cache the
 * address space; an offline one is never asked (newer firmware refuses that) and
 * flushes everything before it runs user code again.
 */
#ifndef HP_VM_H
#define HP_VM_H

#include "kernel.h"

struct process;

/* This CPU has just flushed its whole TLB (arch_mmu_enable). */
void tlb_full_flush_done(void);
/* This CPU is in cpu_online_mask now (shootdowns reach it): its flush counts from here. */
void tlb_cpu_online(void);
/*
 * The scheduler made @p's address space current on @cpu; @flushed: that flushed the TLB.
 * tlb_cpus bits are only ever set, so once this CPU's is, only a flush is news
 * (vm_note_activated in process.h asks that inline).
 */
void vm_activated(struct process *p, unsigned int cpu, bool flushed);
/* On every way back to user mode: the check above. */
void vm_check_user_entry(void);
/*
 * The check's question alone, for the system-call return path, which asks it inline
 * and takes the slow path (process_user_return) only when the answer is yes.
 */
static inline bool vm_entry_may_be_stale(const uint64_t *fenced, uint64_t gen,
					 uint64_t cpu_flushed)
{
	return *fenced < gen && cpu_flushed < gen;
}

/*
 * The system calls: anonymous zeroed pages at @addr (0: the kernel picks), W^X. @prot
 * is the whole register: a bit beyond PROT_R|W|X, however high, is -EINVAL. Each runs
 * under the process's vm_lock, so calls from its threads on several CPUs take turns.
 */
long vm_map(struct process *p, uintptr_t addr, size_t len, unsigned long prot);
long vm_unmap(struct process *p, uintptr_t addr, size_t len);
long vm_protect(struct process *p, uintptr_t addr, size_t len, unsigned long prot);

#endif
