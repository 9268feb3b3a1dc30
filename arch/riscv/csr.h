/* SPDX-License-Identifier: BSD-2-Clause */
/* RISC-V supervisor CSRs: one accessor per register, and the bits this kernel uses. */
#ifndef RISCV_CSR_H
#define RISCV_CSR_H

#include <stdint.h>

#define SSTATUS_SIE   (1ul << 1)    /* interrupts enabled in S-mode */
#define SSTATUS_SPIE  (1ul << 5)    /* SIE before the trap */
#define SSTATUS_SPP   (1ul << 8)    /* trap came from S-mode */

#define IRQ_S_SOFT    1
#define IRQ_S_TIMER   5
#define IRQ_S_EXT     9
#define SIE_SSIE      (1ul << IRQ_S_SOFT)
#define SIE_STIE      (1ul << IRQ_S_TIMER)
#define SIE_SEIE      (1ul << IRQ_S_EXT)
#define SIP_SSIP      (1ul << IRQ_S_SOFT)
#define CAUSE_IRQ     (1ul << 63)

#define csr_read(csr) ({ unsigned long __v; \
	__asm__ __volatile__("csrr %0, " #csr : "=r"(__v) :: "memory"); __v; })
#define csr_write(csr, v) \
	__asm__ __volatile__("csrw " #csr ", %0" :: "rK"((unsigned long)(v)) : "memory")
#define csr_set(csr, v) \
	__asm__ __volatile__("csrs " #csr ", %0" :: "rK"((unsigned long)(v)) : "memory")
#define csr_clear(csr, v) \
	__asm__ __volatile__("csrc " #csr ", %0" :: "rK"((unsigned long)(v)) : "memory")
/* Atomically clears @v in the CSR and returns its previous value. */
#define csr_read_clear(csr, v) ({ unsigned long __v; \
	__asm__ __volatile__("csrrc %0, " #csr ", %1" : "=r"(__v) : "rK"((unsigned long)(v)) : "memory"); __v; })

/* Sstc's supervisor timer compare; the assembler of binutils 2.40 has no name for it. */
#define CSR_STIMECMP 0x14d

static inline uint64_t rdtime(void)
{
	uint64_t t;
	__asm__ __volatile__("rdtime %0" : "=r"(t));
	return t;
}

static inline void wfi(void)
{
	__asm__ __volatile__("wfi" ::: "memory");
}

/* stopei (AIA): the top pending identity of this hart's S-level file, claimed. */
static inline unsigned long csr_read_clear_stopei(void)
{
	unsigned long v;
	__asm__ __volatile__("csrrw %0, 0x15c, zero" : "=r"(v) : : "memory");
	return v;
}

#endif
