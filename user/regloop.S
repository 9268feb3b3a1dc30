/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * long reg_loop(long rounds): holds 0x1000 + n in every register xn but sp, ra (the
 * scratch), a0 (the count) and a7 (the system call number) for @rounds rounds,
 * checking them all each round, with a getpid system call every 256 rounds; timer
 * interrupts come in between. Returns 0, or the number of the first register found
 * changed. (Written out register by register: it is a test of exactly that.)
 */
	.text
	.globl reg_loop
reg_loop:
	addi	sp, sp, -128
	sd	ra, 0(sp)
	sd	gp, 8(sp)
	sd	tp, 16(sp)
	sd	x8, 24(sp)
	sd	x9, 32(sp)
	sd	x18, 40(sp)
	sd	x19, 48(sp)
	sd	x20, 56(sp)
	sd	x21, 64(sp)
	sd	x22, 72(sp)
	sd	x23, 80(sp)
	sd	x24, 88(sp)
	sd	x25, 96(sp)
	sd	x26, 104(sp)
	sd	x27, 112(sp)
	li	x3, 4099
	li	x4, 4100
	li	x5, 4101
	li	x6, 4102
	li	x7, 4103
	li	x8, 4104
	li	x9, 4105
	li	x11, 4107
	li	x12, 4108
	li	x13, 4109
	li	x14, 4110
	li	x15, 4111
	li	x16, 4112
	li	x18, 4114
	li	x19, 4115
	li	x20, 4116
	li	x21, 4117
	li	x22, 4118
	li	x23, 4119
	li	x24, 4120
	li	x25, 4121
	li	x26, 4122
	li	x27, 4123
	li	x28, 4124
	li	x29, 4125
	li	x30, 4126
	li	x31, 4127
1:
	li	ra, 4099
	bne	x3, ra, 2f
	li	ra, 4100
	bne	x4, ra, 2f
	li	ra, 4101
	bne	x5, ra, 2f
	li	ra, 4102
	bne	x6, ra, 2f
	li	ra, 4103
	bne	x7, ra, 2f
	li	ra, 4104
	bne	x8, ra, 2f
	li	ra, 4105
	bne	x9, ra, 2f
	li	ra, 4107
	bne	x11, ra, 2f
	li	ra, 4108
	bne	x12, ra, 2f
	li	ra, 4109
	bne	x13, ra, 2f
	li	ra, 4110
	bne	x14, ra, 2f
	li	ra, 4111
	bne	x15, ra, 2f
	li	ra, 4112
	bne	x16, ra, 2f
	li	ra, 4114
	bne	x18, ra, 2f
	li	ra, 4115
	bne	x19, ra, 2f
	li	ra, 4116
	bne	x20, ra, 2f
	li	ra, 4117
	bne	x21, ra, 2f
	li	ra, 4118
	bne	x22, ra, 2f
	li	ra, 4119
	bne	x23, ra, 2f
	li	ra, 4120
	bne	x24, ra, 2f
	li	ra, 4121
	bne	x25, ra, 2f
	li	ra, 4122
	bne	x26, ra, 2f
	li	ra, 4123
	bne	x27, ra, 2f
	li	ra, 4124
	bne	x28, ra, 2f
	li	ra, 4125
	bne	x29, ra, 2f
	li	ra, 4126
	bne	x30, ra, 2f
	li	ra, 4127
	bne	x31, ra, 2f
	andi	ra, a0, 255
	bnez	ra, 3f
	sd	a0, 120(sp)
	li	a7, 2                   /* getpid */
	ecall
	ld	a0, 120(sp)
3:	addi	a0, a0, -1
	bnez	a0, 1b
	j	9f
2:	/* which one? */
	li	ra, 4099
	li	a0, 3
	bne	x3, ra, 9f
	li	ra, 4100
	li	a0, 4
	bne	x4, ra, 9f
	li	ra, 4101
	li	a0, 5
	bne	x5, ra, 9f
	li	ra, 4102
	li	a0, 6
	bne	x6, ra, 9f
	li	ra, 4103
	li	a0, 7
	bne	x7, ra, 9f
	li	ra, 4104
	li	a0, 8
	bne	x8, ra, 9f
	li	ra, 4105
	li	a0, 9
	bne	x9, ra, 9f
	li	ra, 4107
	li	a0, 11
	bne	x11, ra, 9f
	li	ra, 4108
	li	a0, 12
	bne	x12, ra, 9f
	li	ra, 4109
	li	a0, 13
	bne	x13, ra, 9f
	li	ra, 4110
	li	a0, 14
	bne	x14, ra, 9f
	li	ra, 4111
	li	a0, 15
	bne	x15, ra, 9f
	li	ra, 4112
	li	a0, 16
	bne	x16, ra, 9f
	li	ra, 4114
	li	a0, 18
	bne	x18, ra, 9f
	li	ra, 4115
	li	a0, 19
	bne	x19, ra, 9f
	li	ra, 4116
	li	a0, 20
	bne	x20, ra, 9f
	li	ra, 4117
	li	a0, 21
	bne	x21, ra, 9f
	li	ra, 4118
	li	a0, 22
	bne	x22, ra, 9f
	li	ra, 4119
	li	a0, 23
	bne	x23, ra, 9f
	li	ra, 4120
	li	a0, 24
	bne	x24, ra, 9f
	li	ra, 4121
	li	a0, 25
	bne	x25, ra, 9f
	li	ra, 4122
	li	a0, 26
	bne	x26, ra, 9f
	li	ra, 4123
	li	a0, 27
	bne	x27, ra, 9f
	li	ra, 4124
	li	a0, 28
	bne	x28, ra, 9f
	li	ra, 4125
	li	a0, 29
	bne	x29, ra, 9f
	li	ra, 4126
	li	a0, 30
	bne	x30, ra, 9f
	li	ra, 4127
	li	a0, 31
	bne	x31, ra, 9f
	li	a0, -1
9:	ld	ra, 0(sp)
	ld	gp, 8(sp)
	ld	tp, 16(sp)
	ld	x8, 24(sp)
	ld	x9, 32(sp)
	ld	x18, 40(sp)
	ld	x19, 48(sp)
	ld	x20, 56(sp)
	ld	x21, 64(sp)
	ld	x22, 72(sp)
	ld	x23, 80(sp)
	ld	x24, 88(sp)
	ld	x25, 96(sp)
	ld	x26, 104(sp)
	ld	x27, 112(sp)
	addi	sp, sp, 128
	ret
