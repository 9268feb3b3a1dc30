/* SPDX-License-Identifier: BSD-2-Clause */
/* IPIs through the supervisor-level IMSIC, when there is one (imsic.c). */
#ifndef HP_RISCV_IMSIC_H
#define HP_RISCV_IMSIC_H

#include <stdbool.h>
#include "dtb.h"

/* Boot CPU, once the CPUs are numbered: use the IMSIC if @p describes one and @ssaia. */
void imsic_setup(const struct dt_platform *p, bool ssaia);
bool imsic_enabled(void);
/* This CPU's interrupt file: delivery on, every priority, the IPI identity enabled. */
void imsic_cpu_init(void);
void imsic_send(unsigned int cpu);
/* A supervisor external interrupt: claims every pending identity; true if an IPI was one. */
bool imsic_claim_ipi(void);

#endif
