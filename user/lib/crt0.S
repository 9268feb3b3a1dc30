/* SPDX-License-Identifier: BSD-2-Clause */
/* A user program's first instruction: a0 = argc, a1 = argv (on the stack the kernel made). */
	.section .text.start, "ax"
	.globl _start
_start:
	.option push
	.option norelax
	la	gp, __global_pointer$
	.option pop
	call	main
	call	hp_exit

/* A new thread (hp_thread_create): a0 = arg, a1 = fn; fn's result is its exit value. */
	.text
	.globl hp_thread_start
hp_thread_start:
	.option push
	.option norelax
	la	gp, __global_pointer$
	.option pop
	jalr	a1
	call	hp_thread_exit
