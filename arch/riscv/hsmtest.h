/* SPDX-License-Identifier: BSD-2-Clause */
/* hsmtest's arrival records, shared with entry.S's hsmtest_entry (hsmtest.c). */
#ifndef HP_RISCV_HSMTEST_H
#define HP_RISCV_HSMTEST_H

#include "config.h"

/* What a started hart does once it arrived (hsm_record.mode). */
#define HSM_MODE_STOP 0                 /* hart_stop at once, interrupts off */
#define HSM_MODE_SUSPEND 1              /* hart_suspend as the susp_* fields say */
#define HSM_MODE_STOP_SIE 2             /* hart_stop with sstatus.SIE and sie on */
#define HSM_MODE_HOLD 3                 /* halt (timer looks) until the mode is another */

/*
 * One per hart under test. The controller sets @hartid and @armed before a start; the
 * started hart, still in the firmware's state (satp 0, no stack), finds its record by
 * @hartid, writes what it found and counts its arrival, spins @spin times (load for
 * the torture) and then does what @mode says.
 */
struct hsm_record {
	unsigned long hartid;
	unsigned long armed;
	unsigned long seen_hartid;      /* a0 at entry */
	unsigned long seen_opaque;      /* a1 at entry */
	unsigned long satp, sstatus;    /* at entry */
	unsigned long odd_entry;        /* entered at hsmtest_odd_pad + 1 itself (entry.S) */
	unsigned long arrivals;
	unsigned long mode, spin;
	/*
	 * HSM_MODE_SUSPEND: hart_suspend(@susp_type, @susp_resume, @susp_opaque), woken by
	 * an IPI (sie.SSIE on), or by the timer @susp_timer ticks later if that is not 0
	 * (sie.STIE on, SSIP cleared first: no IPI is then pending). Its return value and
	 * how many returns; a non-retentive suspend resumes at hsmtest_resume, which counts
	 * @resumes and records a0, a1, satp and sstatus in the seen_* and satp/sstatus
	 * fields again. With @resume_wait it then waits for an IPI until @ipi_deadline (a
	 * time, 0 until the controller sets it) and sets @ssip_seen if one came.
	 */
	unsigned long susp_type, susp_resume, susp_opaque, susp_timer;
	long susp_ret;
	unsigned long susp_returns, resumes;
	unsigned long resume_wait, ipi_deadline, ssip_seen;
	/* HSM_MODE_STOP_SIE: what hart_stop returned, if it did, and traps taken. */
	long stop_ret;
	unsigned long stop_returns, traps;
};

#define HSM_RECORDS CONFIG_NR_CPUS
extern struct hsm_record hsm_records[HSM_RECORDS];

/* The start of RAM, where the SBI firmware lives (arch.c, from the device tree). */
unsigned long long arch_firmware_base(void);

#endif
