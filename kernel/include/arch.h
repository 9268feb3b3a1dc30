/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The contract between generic code and the architecture (arch/riscv/ implements it).
 * Generic code includes this header and nothing RISC-V specific. Each function says who
 * calls it, in which interrupt state, and what holds on return.
 */
#ifndef HP_ARCH_H
#define HP_ARCH_H

#include "kernel.h"

struct cpu;
struct task;

/*
 * Saved callee-side registers of a task that is switched out. Its layout is the
 * arch's business; generic code only allocates it inside struct task.
 */
struct arch_context {
	unsigned long saved[14];
};

/* ---- set-up ---- */
/* Boot CPU, first thing: probes the firmware (console, SBI extensions). */
void arch_early_init(void);
/* Boot CPU, once the device tree is read: picks the timer and the exit device. */
void arch_platform_init(const char *boot_isa, uint64_t exit_device);
/*
 * Boot CPU, once the CPUs are numbered, before arch_cpu_init: what the arch takes from
 * the device tree, such as how IPIs will travel (it may offer a way around the
 * firmware; the boot log says which).
 */
struct dt_platform;
void arch_platform_setup(const struct dt_platform *p);
/* Each CPU, interrupts off: trap vector, interrupt enables, timer compare cleared. */
void arch_cpu_init(void);

/* ---- identity ---- */
/* The calling CPU's per-CPU block. Valid from the first instruction of C code. */
struct cpu *arch_this_cpu(void);
/*
 * This CPU's current task (struct cpu's @current), read in one instruction: a task
 * preempted between finding its CPU and reading that CPU's current could resume on
 * another CPU and come back with whatever now runs on the old one.
 */
struct task *arch_this_cpu_current(void);

/* ---- interrupts (local CPU) ---- */
unsigned long arch_irq_save(void);          /* disables, returns the previous state */
void arch_irq_restore(unsigned long flags);
void arch_irq_enable(void);
void arch_irq_disable(void);
bool arch_irqs_enabled(void);

/* ---- time ---- */
uint64_t arch_time_now(void);               /* timebase ticks since reset; any context */
/* Programs this CPU's timer compare; the timer interrupt fires at or after @deadline. */
void arch_timer_program(uint64_t deadline);
/*
 * Halts this CPU until an interrupt is pending or @ticks have passed, whatever the
 * interrupt-enable state; returns with that state unchanged and the timer compare as it
 * was. This is the only way generic code waits: under single-threaded TCG a spinning vCPU
 * keeps the emulation thread, so every poll loop must halt here instead.
 */
void arch_wait_brief(uint64_t ticks);
/*
 * Halts until an interrupt is pending. Called with interrupts disabled (idle loop),
 * which stay disabled. If what is pending is an IPI, it is taken off and true returned:
 * the caller runs its handler without the trap that enabling interrupts would cost.
 */
bool arch_cpu_idle(void);

/* ---- address translation ---- */
/*
 * Builds the kernel's page tables (all RAM at its physical address, supervisor only,
 * global) and turns translation on for the boot CPU; once, from memory_init.
 */
void arch_mmu_init(uint64_t ram_base, uint64_t ram_size);
/* This CPU: the kernel's table, then a full TLB and I-cache flush (arch_cpu_init). */
void arch_mmu_enable(void);
unsigned int arch_asid_bits(void);     /* as probed at boot; 0 means no ASIDs */
bool arch_mmu_on(void);                /* this CPU translates */

/* ---- user address spaces ---- */
#define ARCH_USER_BASE 0x2000000000ul   /* 128 GiB: below it, everything is the kernel's */
#define ARCH_USER_TOP  0x4000000000ul   /* Sv39's last positive address + 1 */
#define ARCH_PROT_R 1u
#define ARCH_PROT_W 2u
#define ARCH_PROT_X 4u
struct arch_as;
/* A new address space with the kernel's half and an ASID if one is free; NULL: no memory. */
struct arch_as *arch_as_create(void);
/*
 * Maps @page (from page_alloc, now owned by @as) at user address @va. -EINVAL for an
 * address outside the user range, a misaligned one, or W with X (W^X); -EEXIST;
 * -ENOMEM.
 */
int arch_as_map(struct arch_as *as, uintptr_t va, void *page, unsigned int prot);
/* Frees its pages and tables and fences its ASID on the online CPUs; unused by all. */
void arch_as_destroy(struct arch_as *as);
/* This CPU translates through @as (NULL: the kernel's own table); true if that flushed it. */
bool arch_as_activate(struct arch_as *as);
/* Takes the page at @va out of @as and returns it (the caller frees it after fencing); NULL if none. */
void *arch_as_unmap(struct arch_as *as, uintptr_t va);
/* New permissions for the page at @va: 1 if one was taken away (fence!), 0, -EINVAL, -ENOMEM. */
int arch_as_protect(struct arch_as *as, uintptr_t va, unsigned int prot);
bool arch_as_mapped(struct arch_as *as, uintptr_t va);
/* Fences this CPU's TLB entries of @as (its ASID; everything without one). */
void arch_as_flush_local(struct arch_as *as);
/*
 * Leaves for user mode at @pc with @sp, a0 = @a0, a1 = @a1, every other register zero;
 * traps come back on @kstack_top (the current task's kernel stack).
 */
__noreturn void arch_enter_user(uintptr_t pc, uintptr_t sp, uintptr_t a0, uintptr_t a1,
				void *kstack_top);
/* Copies with the user range checked first; -EFAULT for a bad or unmapped user address. */
int arch_copy_from_user(void *dst, uintptr_t usrc, size_t n);
int arch_copy_to_user(uintptr_t udst, const void *src, size_t n);
/*
 * A system call's argument registers are @args[0..7]; a message takes four more
 * (docs/ipc.md): where they are saved, read and written back like @args.
 */
unsigned long *arch_syscall_more_args(unsigned long *args);
/* The same as an index from @args, for the IPC fast path, which makes no calls. */
extern const unsigned int arch_syscall_more_index;

/* ---- inter-processor interrupts ---- */
/*
 * Raises the software interrupt on @cpu. The caller has set its reason bits first.
 * 0, or -errno when the firmware refused (reported in one line); the target's tick
 * finds reasons whose IPI never came (smp_ipi_poll), so a refusal only delays them.
 */
int arch_send_ipi(unsigned int cpu);
/* The same for every CPU of @mask, in as few firmware calls as it can. */
struct cpumask;
int arch_send_ipi_mask(const struct cpumask *mask);
/*
 * Raises the software interrupt on @cpu without waiting for the firmware: when another
 * CPU is sending, it carries @cpu too (arch/riscv/ipi_combine.c says why). For
 * smp_send_ipi, whose reasons the tick finds should an IPI never come.
 */
void arch_post_ipi(unsigned int cpu);
/*
 * A remote instruction-fetch fence on @cpu through the firmware; 0 or -errno, reported
 * in one line. Newer firmware refuses one to a hart that is not STARTED, so callers
 * name online CPUs only.
 */
int arch_remote_fence_i(unsigned int cpu);

/* ---- starting and stopping harts (SBI HSM) ---- */
enum arch_cpu_status {
	ARCH_CPU_STARTED,
	ARCH_CPU_STOPPED,
	ARCH_CPU_START_PENDING,
	ARCH_CPU_STOP_PENDING,
	ARCH_CPU_SUSPENDED,
	ARCH_CPU_SUSPEND_PENDING,
	ARCH_CPU_RESUME_PENDING,
	ARCH_CPU_STATUS_UNKNOWN,
};
/*
 * Starts @cpu's hart at the secondary entry; it arrives in secondary_main(cpu) on
 * cpu->boot_sp with interrupts off. Control CPU; may fail (negative errno, and
 * *@fw_err receives the firmware's own error code for messages).
 */
int arch_cpu_start(unsigned int cpu, long *fw_err);
/* Firmware's view of a hart; negative errno if the firmware refuses to say. */
int arch_hart_status(unsigned long hartid, long *fw_err);
/*
 * Starts a hart into a stub that stops it again at once (quietens firmware that spins
 * never-started harts). The caller waits for ARCH_CPU_STOPPED with arch_hart_status().
 */
int arch_hart_quiesce_start(unsigned long hartid, long *fw_err);
const char *arch_cpu_status_name(int status);
/* Stops the calling CPU through the firmware; interrupts off; never returns. */
__noreturn void arch_cpu_stop_self(void);
/* Name of a firmware error code, e.g. "SBI_ERR_ALREADY_AVAILABLE". */
const char *arch_fw_err_name(long fw_err);

/* ---- tasks ---- */
/* Prepares @ctx so that switching to it runs @entry() on the stack ending at @stack_top. */
void arch_context_init(struct arch_context *ctx, void *stack_top, void (*entry)(void));
/*
 * A thread asleep at a system call with every user register in its frame (IPC's fast
 * path): @ctx, switched to, runs @entry on the kernel stack below that frame, whose
 * argument registers are @args; @entry ends with arch_syscall_return(@args).
 */
void arch_syscall_park(struct arch_context *ctx, unsigned long *args, void (*entry)(void));
/* The system call's return checks, then user mode with every register from @args' frame. */
__noreturn void arch_syscall_return(unsigned long *args);
/* Saves the current registers into @prev and resumes @next. Interrupts disabled. */
void arch_context_switch(struct arch_context *prev, struct arch_context *next);
/* The return address of the caller's caller, for context lines in warnings. */
#define arch_return_address() __builtin_return_address(0)

/* ---- console ---- */
void arch_console_putc(char c);
int arch_console_getc(void);                /* -1 when nothing is waiting */
void arch_platform_report(void);            /* prints firmware and CPU facts at boot */

/* ---- leaving the machine ---- */
__noreturn void arch_poweroff(void);
__noreturn void arch_reboot(void);
/* Leaves with a failure status (QEMU exit code @code, 1-255) where the platform can. */
__noreturn void arch_fail_exit(int code);
/* Stops this CPU for good with interrupts off (panic, stop IPI). */
__noreturn void arch_cpu_halt(void);
/* A CPU started at boot but never brought up: stop its hart as an unused one is stopped. */
__noreturn void arch_cpu_quiesce(void);

/* Deliberately faults (shell `debug fault`): loads from an unmapped address. */
void arch_trigger_fault(void);

#endif
