/* SPDX-License-Identifier: BSD-2-Clause */
/* Trap dispatch: interrupts to their handlers, anything else is fatal with a full report. */
#include "arch.h"
#include "percpu.h"
#include "sched.h"
#include "sched_handoff.h"
#include "smp.h"
#include "log.h"
#include "csr.h"
#include "trap_frame.h"
#include "process.h"
#include "vm.h"
#include "err.h"
#include "atomic.h"
#include "ipc.h"
#include "imsic.h"

void trap_handle(struct trap_frame *f);

static const char *const exception_names[] = {
	[0] = "instruction address misaligned",
	[1] = "instruction access fault",
	[2] = "illegal instruction",
	[3] = "breakpoint",
	[4] = "load address misaligned",
	[5] = "load access fault",
	[6] = "store/AMO address misaligned",
	[7] = "store/AMO access fault",
	[8] = "environment call from U-mode",
	[9] = "environment call from S-mode",
	[12] = "instruction page fault",
	[13] = "load page fault",
	[15] = "store/AMO page fault",
};

static const char *const reg_names[32] = {
	"zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2", "s0", "s1", "a0", "a1", "a2", "a3",
	"a4", "a5", "a6", "a7", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11",
	"t3", "t4", "t5", "t6",
};

static __noreturn void fatal_exception(struct trap_frame *f)
{
	struct cpu *c = this_cpu();
	struct task *t = c->current;
	unsigned long code = f->scause;
	const char *name = code < ARRAY_SIZE(exception_names) && exception_names[code]
				   ? exception_names[code] : "unknown exception";

	printk(LOG_EMERG, "Oops: %s (scause %lu) on CPU%u, task %s (pid %d)\n", name, code,
	       c->id, t ? t->name : "?", t ? t->pid : -1);
	printk(LOG_EMERG, "  sepc %016lx  stval (faulting address) %016lx  sstatus %016lx\n",
	       f->sepc, f->stval, f->sstatus);
	f->x[0] = 0;    /* the entry code does not store x0's slot */
	for (unsigned int i = 0; i < 32; i += 4) {
		printk(LOG_EMERG, "  %-4s %016lx  %-4s %016lx  %-4s %016lx  %-4s %016lx\n",
		       reg_names[i], f->x[i], reg_names[i + 1], f->x[i + 1],
		       reg_names[i + 2], f->x[i + 2], reg_names[i + 3], f->x[i + 3]);
	}
	panic("fatal exception on CPU%u", c->id);
}

extern char user_copy_start[], user_copy_end[], user_copy_fault[];

/* A kernel fault inside arch_user_copy touched a bad user address: -EFAULT, no oops. */
static bool fixup_user_copy(struct trap_frame *f)
{
	unsigned long code = f->scause;
	bool memory = code == 5 || code == 7 || code == 13 || code == 15;
	if (memory && f->sepc >= (uintptr_t)user_copy_start && f->sepc < (uintptr_t)user_copy_end) {
		f->sepc = (uintptr_t)user_copy_fault;
		return true;
	}
	return false;
}

void syscall_entry(struct trap_frame *f);

/* @args is &f->x[10] (a0); the message's words 4-7 are t3-t6 (x28-x31), saved too. */
const unsigned int arch_syscall_more_index = 28 - 10;

unsigned long *arch_syscall_more_args(unsigned long *args)
{
	return args + arch_syscall_more_index;
}

/*
 * A system call (entry.S's user_syscall, which saved only a0-a7, t0-t6, ra, gp, tp
 * and sp in @f): interrupts on while it runs, a preemption point on the way out.
 */
/* tp is this CPU's struct cpu in the kernel; read it again after anything that may sleep. */
static inline struct cpu *tp_cpu(void)
{
	struct cpu *c;
	__asm__ __volatile__("mv %0, tp" : "=r"(c));
	return c;
}

/* The return path's checks when one of them may have something to do. */
static __noinline void syscall_exit_slow(void)
{
	struct cpu *c = tp_cpu();
	if (c->need_resched && c->current->preempt_count == 0) {
		schedule_preempt();
		c = tp_cpu();
	}
	struct task *t = c->current;
	struct process *p = t->proc;
	if (t->killed ||
	    vm_entry_may_be_stale(&p->fenced[c->id], READ_ONCE(p->tlb_done), c->tlb_flushed)) {
		process_user_return();
	}
}

/*
 * The return path's checks, asked inline (a null system call is a few dozen
 * instructions of C, and every call pays for them); the slow path does them again.
 * All three questions first, then one branch: the common answer needs no frame.
 */
static inline void syscall_exit_checks(void)
{
	struct cpu *c = tp_cpu();
	struct task *t = c->current;
	struct process *p = t->proc;
	if (unlikely((c->need_resched && t->preempt_count == 0) || t->killed ||
		     vm_entry_may_be_stale(&p->fenced[c->id], READ_ONCE(p->tlb_done), c->tlb_flushed))) {
		syscall_exit_slow();
	}
}

/* A system call; entry.S asked IPC's fast path first for a call or a reply_recv. */
void syscall_entry(struct trap_frame *f)
{
	unsigned long nr = f->x[17];

	csr_set(sstatus, SSTATUS_SIE);
	f->x[10] = (unsigned long)syscall_dispatch(nr, &f->x[10], tp_cpu()->current);
	csr_clear(sstatus, SSTATUS_SIE);
	syscall_exit_checks();
}

/*
 * entry.S, on the stack of the thread IPC's fast path made current here (ipc_fastpath
 * returned its argument registers, its address space taken): the hand-off's second
 * half, then that thread's return checks.
 */
void syscall_handoff_done(struct cpu *c)
{
	sched_handoff_finish(c);
	syscall_exit_checks();
}

/* @ctx resumes at @entry on the kernel stack just below @args' frame (arch.h). */
void arch_syscall_park(struct arch_context *ctx, unsigned long *args, void (*entry)(void))
{
	ctx->saved[0] = (unsigned long)entry;                              /* ra */
	ctx->saved[1] = (unsigned long)container_of(args, struct trap_frame, x[10]); /* sp */
}

__noreturn void syscall_leave(struct trap_frame *f);

__noreturn void arch_syscall_return(unsigned long *args)
{
	syscall_exit_checks();
	syscall_leave(container_of(args, struct trap_frame, x[10]));
}

/* A trap from user mode that is neither an interrupt nor a system call: its end. */
static void user_exception(struct trap_frame *f)
{
	unsigned long code = f->scause;
	const char *name = code < ARRAY_SIZE(exception_names) && exception_names[code]
				   ? exception_names[code] : "unknown exception";
	/* 128 + the signal a Unix would send: SIGILL 4, SIGBUS 7, SIGSEGV 11. */
	int status = code == 2 ? 132 : (code == 4 || code == 6 || code == 0) ? 135 : 139;
	arch_irq_enable();
	process_fault(name, f->stval, f->sepc, status);
}

int arch_user_copy(void *dst, const void *src, size_t n);

static bool user_range(uintptr_t a, size_t n)
{
	return a >= ARCH_USER_BASE && a < ARCH_USER_TOP && n <= ARCH_USER_TOP - a;
}

int arch_copy_from_user(void *dst, uintptr_t usrc, size_t n)
{
	return user_range(usrc, n) ? arch_user_copy(dst, (const void *)usrc, n) : -EFAULT;
}

int arch_copy_to_user(uintptr_t udst, const void *src, size_t n)
{
	return user_range(udst, n) ? arch_user_copy((void *)udst, src, n) : -EFAULT;
}

void trap_handle(struct trap_frame *f)
{
	bool from_user = !(f->sstatus & SSTATUS_SPP);

	if (!(f->scause & CAUSE_IRQ)) {
		if (from_user) {
			user_exception(f);
			return;
		}
		if (fixup_user_copy(f)) {
			return;
		}
		fatal_exception(f);
	}
	struct cpu *c = this_cpu();
	c->irq_depth++;
	switch (f->scause & ~CAUSE_IRQ) {
	case IRQ_S_TIMER:
		timer_interrupt();
		break;
	case IRQ_S_SOFT:
		csr_clear(sip, SIP_SSIP);
		smp_ipi_interrupt();
		break;
	case IRQ_S_EXT:
		if (imsic_claim_ipi()) {
			smp_ipi_interrupt();
		}
		break;
	default:
		pr_warn("spurious interrupt %lu on CPU%u\n", f->scause & ~CAUSE_IRQ, c->id);
		break;
	}
	sched_irq_exit();
	if (from_user) {
		process_user_return();
	}
}
