/* SPDX-License-Identifier: BSD-2-Clause */
/* hsmtest's arrival records, shared with entry.S's hsmtest_entry (hsmtest.c). */
#ifndef HP_RISCV_HSMTEST_H
#define HP_RISCV_HSMTEST_H

#include "config.h"

/*
 * One per hart under test. The controller sets @hartid and @armed before a start; the
 * started hart, still in the firmware's state (satp 0, no stack), finds its record by
 * @hartid, writes what it found and counts its arrival, then stops.
 */
struct hsm_record {
	unsigned long hartid;
	unsigned long armed;
	unsigned long seen_hartid;      /* a0 at entry */
	unsigned long seen_opaque;      /* a1 at entry */
	unsigned long satp, sstatus;    /* at entry */
	unsigned long arrivals;
	/*
	 * A suspend the hart makes once it arrived, if @suspend: hart_suspend(@susp_type,
	 * @susp_resume, @susp_opaque); its return value and how many returns; a
	 * non-retentive suspend resumes at hsmtest_resume, which counts @resumes and
	 * records a0, a1, satp and sstatus in the seen_* and satp/sstatus fields again.
	 */
	unsigned long suspend, susp_type, susp_resume, susp_opaque;
	long susp_ret;
	unsigned long susp_returns, resumes;
};

#define HSM_RECORDS CONFIG_NR_CPUS
extern struct hsm_record hsm_records[HSM_RECORDS];

/* The start of RAM, where the SBI firmware lives (arch.c, from the device tree). */
unsigned long long arch_firmware_base(void);

#endif
