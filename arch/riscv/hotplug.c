/* SPDX-License-Identifier: BSD-2-Clause */
/* Stopping the calling hart through SBI HSM: only in the hotplug=true build. */
#include "arch.h"
#include "csr.h"
#include "sbi.h"
#include "percpu.h"

#define SBI_HSM_HART_STOP 1

void arch_cpu_stop_self(void)
{
	arch_irq_disable();
	csr_write(sie, 0);
	/* Nothing left pending: the next hart_start begins with a clean slate. */
	csr_clear(sip, SIP_SSIP);
	if (!sbi_fault_stop_sticks(arch_this_cpu()->hartid)) {
		sbi_call(SBI_EXT_HSM, SBI_HSM_HART_STOP, 0, 0, 0);
	}
	/* hart_stop returns only on error; the control CPU will see the hart never stop. */
	for (;;) {
		wfi();
	}
}
