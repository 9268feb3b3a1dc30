/* SPDX-License-Identifier: BSD-2-Clause */
/* What trap_entry (entry.S) saves on the stack; its offsets reach it through asm-offsets.h. */
#ifndef HP_RISCV_TRAP_FRAME_H
#define HP_RISCV_TRAP_FRAME_H

struct trap_frame {
	unsigned long x[32];            /* x0 is not saved; x2 is sp before the trap */
	unsigned long sepc, sstatus, scause, stval;
};

/* The frame goes on the kernel stack, which the ABI keeps 16-byte aligned. */
_Static_assert(sizeof(struct trap_frame) == 36 * sizeof(unsigned long),
	       "trap_entry saves 32 registers and 4 CSRs");
_Static_assert(sizeof(struct trap_frame) % 16 == 0, "the frame keeps sp 16-byte aligned");

#endif
