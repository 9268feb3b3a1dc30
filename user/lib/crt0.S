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
