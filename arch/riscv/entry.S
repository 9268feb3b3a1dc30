/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Entry points: the boot hart (from OpenSBI), secondaries (from SBI HSM hart_start),
 * harts started only to be stopped again, the trap vector, and the context switch.
 */
#include "asm-offsets.h"       /* generated at build time from asm-offsets.c */
#include "uapi/syscall_nr.h"

/*
 * OpenSBI 1.1's hart_start marks the hart STARTING before it writes the new start
 * address and opaque; a hart that is polling meanwhile (never-started harts spin there)
 * can leave with the ones it had before, or with the new opaque and the old address.
 * The old address is _start for a hart never started, or the other of
 * secondary_entry / quiesce_entry. Every entry below finds, by the hart id alone,
 * where the hart was meant to go and goes there. (Fixed in OpenSBI 1.3;
 * model/hsm_start.pml checks it.)
 */
/* SAVE / LOAD n, ...: registers xn to and from their slots of the frame at sp. */
	.macro SAVE regs:vararg
	.irp n, \regs
	sd	x\n, \n*8(sp)
	.endr
	.endm
	.macro LOAD regs:vararg
	.irp n, \regs
	ld	x\n, \n*8(sp)
	.endr
	.endm
/*
 * Before the user's registers come back from the frame at sp (the top of the current
 * task's kernel stack): interrupts off until sret, this CPU's struct cpu to sscratch
 * and where the next trap's frame goes, sepc and sstatus from the frame.
 */
	.macro LEAVE_FOR_USER
	csrci	sstatus, 2
	addi	t0, sp, FRAME_SIZE
	sd	t0, CPU_KSTACK(tp)
	csrw	sscratch, tp
	ld	t0, F_SEPC(sp)
	csrw	sepc, t0
	ld	t0, F_SSTATUS(sp)
	csrw	sstatus, t0
	.endm
/* The trap CSRs into the frame at sp, through t0 (saved already). */
	.macro SAVE_CSRS
	csrr	t0, sepc
	sd	t0, F_SEPC(sp)
	csrr	t0, sstatus
	sd	t0, F_SSTATUS(sp)
	csrr	t0, scause
	sd	t0, F_SCAUSE(sp)
	csrr	t0, stval
	sd	t0, F_STVAL(sp)
	.endm

	.section .data
	.balign 4
boot_claimed:
	.word	0

	.section .text.entry, "ax"
	.globl _start
/*
 * The image starts with the RISC-V Linux Image header (64 bytes), so that boot loaders
 * that take a Linux kernel take this one too: U-Boot's booti, OpenSBI's fw_payload.
 * Its first word jumps over it; QEMU's -kernel enters at the same place. The loader
 * puts the image text_offset bytes into RAM, where it is linked (linker.ld).
 */
_start:
	.option push
	.option norvc
	j	kernel_entry            /* code0 */
	.word	0                       /* code1 */
	.option pop
	.dword	__image_text_offset     /* text_offset: load offset from the start of RAM */
	.dword	__image_size            /* image_size: everything, .bss included */
	.dword	0                       /* flags: little-endian */
	.word	2                       /* version 0.2 */
	.word	0                       /* res1 */
	.dword	0                       /* res2 */
	.ascii	"RISCV\0\0\0"           /* magic (deprecated, still read) */
	.ascii	"RSC\x05"              /* magic2 */
	.word	0                       /* res3: no PE/COFF header */

/* a0 = hartid, a1 = DTB. The hart that won OpenSBI's lottery, or a stray (see above). */
kernel_entry:
	csrw	sie, zero
	/*
	 * gp is not set yet (and a stray's is garbage): no relaxed addressing here. The
	 * flag is in .data, not .bss: the boot hart clears .bss after it has claimed it.
	 */
	.option push
	.option norelax
	la	t0, boot_claimed
	li	t1, 1
	amoswap.w t1, t1, (t0)
	.option pop
	bnez	t1, stray_start
	.option push
	.option norelax
	la	gp, __global_pointer$
	.option pop
	/* Clear .bss first: the boot stack and struct cpu live there. */
	la	t0, __bss_start
	la	t1, __bss_end
1:	bgeu	t0, t1, 2f
	sd	zero, 0(t0)
	addi	t0, t0, 8
	j	1b
2:	la	tp, cpus                /* logical CPU 0 is whichever hart booted */
	la	sp, boot_stack_top
	call	kmain
3:	wfi
	j	3b

/*
 * a0 = hartid, a1 = opaque (this CPU's struct cpu, as asked). The struct is looked up
 * by hart id instead: on 1.1 the opaque may be a later start's (0, for the stop stub)
 * while the address is still this one. HSM leaves sp, tp and ra as garbage (the SBI
 * spec promises only a0, a1, satp = 0 and sstatus.SIE = 0), so tp and sp are set
 * before anything touches memory.
 */
	.balign 4
	.globl secondary_entry
secondary_entry:
	csrw	sie, zero
	call	find_cpu
	beqz	a1, hart_stop_stub
secondary_found:                /* a1 = this hart's struct cpu */
	.option push
	.option norelax
	la	gp, __global_pointer$
	.option pop
	mv	tp, a1
	ld	sp, CPU_BOOT_SP(a1)
	mv	a0, a1
	call	secondary_main
4:	wfi
	j	4b

/*
 * a0 = hartid. Finds the struct cpu of that hart without a stack: a1 = it, or 0. CPU 0
 * too: the boot CPU's hart comes back this way after an offline. Clobbers t0-t5. Like
 * everything up to hart_stop_stub, it runs with gp not set: no relaxed addressing.
 */
	.option push
	.option norelax
find_cpu:
	la	t0, cpus
	li	t1, CPU_SIZE
	li	t2, CPU_HARTID
	la	t3, nr_cpu_ids
	lwu	t3, 0(t3)
	li	t4, 0
1:	bgeu	t4, t3, 3f
	add	t5, t0, t2
	ld	t5, 0(t5)
	beq	t5, a0, 2f
	add	t0, t0, t1
	addi	t4, t4, 1
	j	1b
2:	mv	a1, t0
	ret
3:	li	a1, 0
	ret

/* A later arrival at _start: a CPU's bring-up started it, or it is to be stopped. */
stray_start:
	j	secondary_entry

/*
 * A hart the kernel does not use: stop it at once (it owns no stack, no data). Unless
 * a bring-up is waiting for this very hart: then the stale address brought it here.
 */
	.balign 4
	.globl quiesce_entry
quiesce_entry:
	call	find_cpu
	beqz	a1, hart_stop_stub
	lw	t0, CPU_BOOT_STATE(a1)
	li	t1, BOOT_STATE_STARTING
	beq	t0, t1, secondary_found
	li	t1, BOOT_STATE_HELD
	beq	t0, t1, secondary_found
	j	hart_stop_stub
	.option pop

	.globl hart_stop_stub
hart_stop_stub:
	li	a7, 0x48534D            /* HSM */
	li	a6, 1                   /* hart_stop */
	ecall
5:	wfi
	j	5b

/*
 * Trap vector (direct mode). sscratch tells where the trap came from: 0 in the kernel,
 * this CPU's struct cpu while user code runs. From the kernel the frame goes on the
 * current stack; tp is the per-CPU pointer and is not restored from the frame, since a
 * preempted task may resume on another CPU. From user mode see user_trap below.
 */
	.balign 4
	.globl trap_entry
trap_entry:
	csrrw	tp, sscratch, tp
	bnez	tp, user_trap
	csrrw	tp, sscratch, tp        /* from the kernel: tp back, sscratch 0 again */
	addi	sp, sp, -FRAME_SIZE
	SAVE	1, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
	addi	t0, sp, FRAME_SIZE
	sd	t0, 2*8(sp)             /* sp before the trap */
	SAVE_CSRS
	mv	a0, sp
	call	trap_handle
	ld	t0, F_SEPC(sp)
	csrw	sepc, t0
	ld	t0, F_SSTATUS(sp)
	csrw	sstatus, t0
	LOAD	1, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
	addi	sp, sp, FRAME_SIZE
	sret

/*
 * From user mode: tp = this CPU's struct cpu, sscratch = the user's tp. The frame goes
 * at the top of the running task's kernel stack (cpu->trap_kstack, set on the way out).
 */
user_trap:
	sd	sp, CPU_USER_SP(tp)
	ld	sp, CPU_KSTACK(tp)
	addi	sp, sp, -FRAME_SIZE
	sd	x5, 5*8(sp)
	csrr	t0, scause
	addi	t0, t0, -8              /* ecall from U-mode */
	beqz	t0, user_syscall
	/* x5 (t0) is saved above: it now holds scause - 8. */
	SAVE	1, 3, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
	ld	t0, CPU_USER_SP(tp)
	sd	t0, 2*8(sp)
	csrr	t0, sscratch
	sd	t0, 4*8(sp)             /* the user's tp */
	csrw	sscratch, zero          /* in the kernel now */
	SAVE_CSRS
	.option push
	.option norelax
	la	gp, __global_pointer$   /* the user's gp is in the frame */
	.option pop
	mv	a0, sp
	call	trap_handle
	/* fall through */

/*
 * Back to user mode from the frame at sp (the top of the current task's kernel stack),
 * on whichever CPU the task now runs: that CPU's struct cpu goes to sscratch.
 */
ret_to_user:
	LEAVE_FOR_USER
	LOAD	1, 3, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 4, 2
	sret

/*
 * A system call: only what the C calling convention does not keep is saved (the
 * kernel's C code preserves s0-s11 for us, also across a context switch), and only
 * that is restored. The frame's s-register slots are written only for the two calls
 * IPC's fast path takes (ipc_fast.c): a thread it parks sleeps with every register in
 * its frame, and whoever answers it may leave for user mode straight from that frame.
 * ipc_fastpath returns NULL (the call goes on as any other), or the argument
 * registers of the thread that now runs on this CPU instead of us (the fast path's
 * direct return): on its stack, the hand-off's second half and its return checks,
 * then every register comes from its frame.
 */
user_syscall:
	SAVE	1, 3, 6, 7, 10, 11, 12, 13, 14, 15, 16, 17, 28, 29, 30, 31
	ld	t0, CPU_USER_SP(tp)
	sd	t0, 2*8(sp)
	csrr	t0, sscratch
	sd	t0, 4*8(sp)
	csrw	sscratch, zero
	csrr	t0, sepc
	addi	t0, t0, 4               /* past the ecall */
	sd	t0, F_SEPC(sp)
	csrr	t0, sstatus
	sd	t0, F_SSTATUS(sp)
	.option push
	.option norelax
	la	gp, __global_pointer$
	.option pop
	addi	t0, a7, -SYS_ipc_call
	beqz	t0, 1f
	addi	t0, a7, -SYS_ipc_reply_recv
	bnez	t0, 2f
1:	SAVE	8, 9, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27
	mv	a0, a7
	addi	a1, sp, 10*8            /* the argument registers, a0 first */
	mv	a2, tp
	call	ipc_fastpath            /* interrupts still off */
	bnez	a0, 3f
2:	mv	a0, sp
	call	syscall_entry
	LEAVE_FOR_USER
	LOAD	1, 3, 5, 6, 7, 10, 11, 12, 13, 14, 15, 16, 17, 28, 29, 30, 31, 4, 2
	sret
3:	addi	sp, a0, -10*8           /* the frame of the thread now current */
	mv	a0, tp
	call	syscall_handoff_done
	j	ret_to_user

/* syscall_leave(frame): user mode from @frame with every register (arch_syscall_return). */
	.globl syscall_leave
syscall_leave:
	mv	sp, a0
	j	ret_to_user

/*
 * arch_enter_user(pc, sp, a0, a1, kstack_top): a zeroed frame at the top of the kernel
 * stack, so no kernel value reaches user registers, then out through ret_to_user.
 * sstatus: SPP = 0 (user), SPIE = 1 (interrupts on there), SUM = 0.
 */
	.globl arch_enter_user
arch_enter_user:
	csrci	sstatus, 2
	addi	t0, a4, -FRAME_SIZE
	mv	t1, a4
1:	addi	t1, t1, -8
	sd	zero, 0(t1)
	bne	t1, t0, 1b
	mv	sp, t0
	sd	a0, F_SEPC(sp)
	sd	a1, 2*8(sp)
	sd	a2, 10*8(sp)
	sd	a3, 11*8(sp)
	csrr	t0, sstatus
	li	t1, (1 << 8) | (1 << 18) | 2    /* SPP, SUM, SIE */
	not	t1, t1
	and	t0, t0, t1
	ori	t0, t0, (1 << 5)        /* SPIE */
	sd	t0, F_SSTATUS(sp)
	j	ret_to_user

/*
 * arch_user_copy(dst, src, n): bytes between the kernel and user memory with
 * sstatus.SUM set only here. A fault between user_copy_start and user_copy_end
 * resumes at user_copy_fault (trap.c), which returns -EFAULT. Whole words when both
 * addresses and the length are multiples of 8 (IPC buffers, most structures), else
 * bytes.
 */
	.globl arch_user_copy, user_copy_start, user_copy_end, user_copy_fault
arch_user_copy:
	li	t1, (1 << 18)
	csrs	sstatus, t1
user_copy_start:
	or	t2, a0, a1
	or	t2, t2, a2
	andi	t2, t2, 7
	bnez	t2, 1f
3:	beqz	a2, 2f
	ld	t0, 0(a1)
	sd	t0, 0(a0)
	addi	a0, a0, 8
	addi	a1, a1, 8
	addi	a2, a2, -8
	j	3b
1:	beqz	a2, 2f
	lbu	t0, 0(a1)
	sb	t0, 0(a0)
	addi	a0, a0, 1
	addi	a1, a1, 1
	addi	a2, a2, -1
	j	1b
user_copy_end:
2:	csrc	sstatus, t1
	li	a0, 0
	ret
user_copy_fault:
	li	t1, (1 << 18)
	csrc	sstatus, t1
	li	a0, -14                 /* -EFAULT */
	ret

/* arch_context_switch(prev, next): callee-saved registers only; the C caller saved the rest. */
	.globl arch_context_switch
arch_context_switch:
	sd	ra, 0*8(a0)
	sd	sp, 1*8(a0)
	sd	s0, 2*8(a0)
	sd	s1, 3*8(a0)
	sd	s2, 4*8(a0)
	sd	s3, 5*8(a0)
	sd	s4, 6*8(a0)
	sd	s5, 7*8(a0)
	sd	s6, 8*8(a0)
	sd	s7, 9*8(a0)
	sd	s8, 10*8(a0)
	sd	s9, 11*8(a0)
	sd	s10, 12*8(a0)
	sd	s11, 13*8(a0)
	ld	ra, 0*8(a1)
	ld	sp, 1*8(a1)
	ld	s0, 2*8(a1)
	ld	s1, 3*8(a1)
	ld	s2, 4*8(a1)
	ld	s3, 5*8(a1)
	ld	s4, 6*8(a1)
	ld	s5, 7*8(a1)
	ld	s6, 8*8(a1)
	ld	s7, 9*8(a1)
	ld	s8, 10*8(a1)
	ld	s9, 11*8(a1)
	ld	s10, 12*8(a1)
	ld	s11, 13*8(a1)
	ret

	.section .bss
	.balign 16
	.globl boot_stack_top
boot_stack:
	.space 16384
boot_stack_top:
