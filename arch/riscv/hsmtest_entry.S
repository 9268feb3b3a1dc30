/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * hsmtest's harts (hsmtest.c, docs/hsmtest.md): where a hart a check started enters,
 * what it does there as its record says (hsmtest.h), and where it resumes. Linked into
 * hartplug-hsmtest.elf only, beside the kernel's own entry.S.
 */
#include "asm-offsets.h"       /* generated at build time from asm-offsets.c */

	.section .text
/*
 * hsmtest's start address that no instruction can begin at (hsmtest_odd_pad + 1, for
 * hart_start.misaligned_address). A hart that clears bit 0 of the address, as the
 * privileged architecture has mepc do, runs from hsmtest_odd_pad: a c.j to
 * hsmtest_entry. One that runs from the odd address itself (QEMU does) decodes the
 * same bytes one off: c.addi4spn s0 (harmless), auipc t0, then jalr to the even
 * address hsmtest_odd_entry, which enters as hsmtest_entry does and records t5 = 1.
 * Either way the hart arrives; without the pad it would run whatever the odd bytes of
 * some code decode to.
 */
	.balign 4
	.globl hsmtest_odd_pad
hsmtest_odd_pad:
	.option push
	.option norvc
	.option norelax
	.byte	0x31, 0xa0              /* +0: c.j +12;           +1: c.addi4spn s0, sp, 72 */
	.byte	0x00
	.byte	0x97, 0x02, 0x00, 0x00  /* +3: auipc t0, 0 */
	.byte	0x67, 0x80, 0xd2, 0x00  /* +7: jalr zero, 13(t0): to +16 */
	.byte	0x00
	j	hsmtest_entry           /* +12 */
hsmtest_odd_entry:                      /* +16 */
	li	t5, 1
	j	hsmtest_entry_common
	.option pop
	.globl hsmtest_odd_entry               /* linker.ld checks it is at +16 */

/*
 * hsmtest's entry (hsmtest.c): a hart a check started finds its armed record by hart
 * id, writes what the firmware gave it (a0, a1, satp, sstatus), counts its arrival and
 * does what the record's mode says (hsmtest.h): stop, suspend, or stop with interrupts on. One without an armed record was sent here by a stale start address (the
 * start race): it goes where quiesce_entry sends it. No stack, no tp: none is needed.
 */
	.balign 4
	.globl hsmtest_entry
hsmtest_entry:
	.option push
	.option norelax
	li	t5, 0                   /* entered at an even address */
hsmtest_entry_common:
	la	t0, hsm_records
	li	t1, HSM_RECORDS
1:	bnez	t1, 2f
	j	quiesce_entry
2:	ld	t2, HSMREC_HARTID(t0)
	bne	t2, a0, 3f
	ld	t2, HSMREC_ARMED(t0)
	bnez	t2, 4f
3:	addi	t0, t0, HSMREC_SIZE
	addi	t1, t1, -1
	j	1b
4:	li	t4, HSMREC_ARRIVALS
	jal	t6, hsm_record_entry
	ld	t2, HSMREC_SPIN(t0)     /* the torture's load: busy a while first */
5:	beqz	t2, 6f
	addi	t2, t2, -1
	j	5b
6:	ld	t2, HSMREC_MODE(t0)
	li	t3, HSM_MODE_HOLD
	beq	t2, t3, hsmtest_hold
	li	t3, HSM_MODE_SUSPEND
	beq	t2, t3, hsmtest_suspend
	li	t3, HSM_MODE_STOP_SIE
	beq	t2, t3, hsmtest_stop_sie
	j	hart_stop_stub

/*
 * Held until the controller changes the mode, halted between looks about 10 us apart:
 * the timer interrupt enabled in sie (not in sstatus: no trap is taken) ends each halt.
 * No IPI is used, so none can be left pending for a later check. Then whatever the new
 * mode says, with the timer off again.
 */
hsmtest_hold:
	li	t2, 0x20
	csrs	sie, t2
1:	ld	t2, HSMREC_MODE(t0)
	li	t3, HSM_MODE_HOLD
	bne	t2, t3, 2f
	li	a0, 100                 /* 10 us */
	jal	t6, hsm_timer_in
	wfi
	j	1b
2:	li	t2, 0x20
	csrc	sie, t2
	li	a0, -1
	li	a7, 0x54494D45
	li	a6, 0
	ecall
	j	6b

/*
 * The suspend the record asks for. Woken by an IPI: the software interrupt enabled in
 * sie (not in sstatus: no trap is taken), so that an IPI is a wake-up event by any
 * reading of the specification. Woken by the timer (susp_timer ticks from now): the
 * timer interrupt enabled instead and SSIP cleared, so that no IPI is pending. SBI
 * keeps every register but a0 and a1.
 */
hsmtest_suspend:
	ld	t2, HSMREC_SUSP_TIMER(t0)
	beqz	t2, 1f
	csrci	sip, 2
	rdtime	a0
	add	a0, a0, t2
	li	a7, 0x54494D45          /* TIME */
	li	a6, 0                   /* set_timer */
	ecall
	li	t2, 0x20
	j	2f
1:	li	t2, 2
2:	csrs	sie, t2
	ld	a0, HSMREC_SUSP_TYPE(t0)
	ld	a1, HSMREC_SUSP_RESUME(t0)
	ld	a2, HSMREC_SUSP_OPAQUE(t0)
	li	a7, 0x48534D            /* HSM */
	li	a6, 3                   /* hart_suspend */
	ecall
	sd	a0, HSMREC_SUSP_RET(t0)
	li	t4, HSMREC_SUSP_RETURNS
	jal	t6, hsm_count
	j	hsmtest_quiet_stop

/*
 * hart_stop with interrupts enabled, which the specification tells the caller not to
 * do: whether the firmware stops the hart anyway or refuses (SBI_ERR_FAILED), it must
 * not hand the hart back in S-mode any other way. A trap taken meanwhile (none is due)
 * is counted.
 */
hsmtest_stop_sie:
	la	t2, hsmtest_trap
	csrw	stvec, t2
	li	a0, -1                  /* no timer, no IPI pending: nothing due to trap */
	li	a7, 0x54494D45          /* TIME */
	li	a6, 0                   /* set_timer */
	ecall
	csrci	sip, 2
	csrsi	sie, 2                  /* SSIE */
	csrsi	sstatus, 2              /* SIE */
	li	a7, 0x48534D            /* HSM */
	li	a6, 1                   /* hart_stop */
	ecall
	csrci	sstatus, 2
	sd	a0, HSMREC_STOP_RET(t0)
	li	t4, HSMREC_STOP_RETURNS
	jal	t6, hsm_count
	j	hart_stop_stub
	.balign 4
hsmtest_trap:
	li	t4, HSMREC_TRAPS
	jal	t6, hsm_count
	j	hart_stop_stub

/*
 * A non-retentive suspend's resume: the same record, counted as a resume. With
 * resume_wait, the hart then waits for the controller's IPI (halting with a short
 * timer armed) until ipi_deadline, once the controller has set it.
 */
	.balign 4
	.globl hsmtest_resume
hsmtest_resume:
	li	t5, 0
	la	t0, hsm_records
	li	t1, HSM_RECORDS
1:	bnez	t1, 2f
	j	hart_stop_stub
2:	ld	t2, HSMREC_HARTID(t0)
	beq	t2, a0, 3f
	addi	t0, t0, HSMREC_SIZE
	addi	t1, t1, -1
	j	1b
3:	li	t4, HSMREC_RESUMES
	jal	t6, hsm_record_entry
	ld	t2, HSMREC_RESUME_WAIT(t0)
	beqz	t2, hsmtest_quiet_stop
	li	t2, 0x22                /* SSIE, STIE: an IPI or the timer ends the WFI */
	csrs	sie, t2
4:	csrr	t2, sip
	andi	t2, t2, 2
	bnez	t2, 6f
	ld	t3, HSMREC_IPI_DEADLINE(t0)
	beqz	t3, 5f
	rdtime	t4
	bgeu	t4, t3, hsmtest_quiet_stop
5:	li	a0, 500                 /* 50 us */
	jal	t6, hsm_timer_in
	wfi
	j	4b
6:	li	t2, 1
	sd	t2, HSMREC_SSIP_SEEN(t0)
	j	hsmtest_quiet_stop

/* Stops with no timer armed and no IPI pending, so that neither outlives this start. */
hsmtest_quiet_stop:
	li	a0, -1
	li	a7, 0x54494D45          /* TIME */
	li	a6, 0                   /* set_timer */
	ecall
	csrci	sip, 2
	j	hart_stop_stub

/* The timer a0 ticks from now (SBI set_timer; a0, a1, a6, a7 and t2 change); returns through t6. */
hsm_timer_in:
	rdtime	t2
	add	a0, a0, t2
	li	a7, 0x54494D45          /* TIME */
	li	a6, 0                   /* set_timer */
	ecall
	jr	t6

/* Record at t0: a0, a1, satp, sstatus, t5, then count at offset t4; returns through t6. */
hsm_record_entry:
	sd	t5, HSMREC_ODD_ENTRY(t0)
	sd	a0, HSMREC_SEEN_HARTID(t0)
	sd	a1, HSMREC_SEEN_OPAQUE(t0)
	csrr	t2, satp
	sd	t2, HSMREC_SATP(t0)
	csrr	t2, sstatus
	sd	t2, HSMREC_SSTATUS(t0)
/* Count at offset t4 of the record at t0, after every store before; returns through t6. */
hsm_count:
	fence	rw, rw
	add	t3, t0, t4
	li	t2, 1
	amoadd.d zero, t2, (t3)
	jr	t6
	.option pop

