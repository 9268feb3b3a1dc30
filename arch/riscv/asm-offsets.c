/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Structure offsets and constants for entry.S. Compiled to assembly only, at build
 * time; gen-asm-offsets.sh turns the "->NAME value" markers into asm-offsets.h, so the
 * assembly never carries a hand-written offset.
 */
#include <stddef.h>
#include "percpu.h"
#include "boot_handshake.h"
#include "trap_frame.h"
#include "hsmtest.h"

#define DEFINE(name, value) __asm__ volatile("\n.ascii \"->" #name " %0\"" : : "i"(value))

void asm_offsets(void);

void asm_offsets(void)
{
	DEFINE(CPU_SIZE, sizeof(struct cpu));
	DEFINE(CPU_BOOT_SP, offsetof(struct cpu, boot_sp));
	DEFINE(CPU_USER_SP, offsetof(struct cpu, trap_user_sp));
	DEFINE(CPU_KSTACK, offsetof(struct cpu, trap_kstack));
	DEFINE(CPU_HARTID, offsetof(struct cpu, hartid));
	DEFINE(CPU_BOOT_STATE, offsetof(struct cpu, boot_state));
	DEFINE(BOOT_STATE_HELD, CPU_BOOT_HELD);
	DEFINE(BOOT_STATE_STARTING, CPU_BOOT_STARTING);
	DEFINE(FRAME_SIZE, sizeof(struct trap_frame));
	DEFINE(F_SEPC, offsetof(struct trap_frame, sepc));
	DEFINE(F_SSTATUS, offsetof(struct trap_frame, sstatus));
	DEFINE(F_SCAUSE, offsetof(struct trap_frame, scause));
	DEFINE(F_STVAL, offsetof(struct trap_frame, stval));
	DEFINE(HSM_RECORDS, HSM_RECORDS);
	DEFINE(HSMREC_SIZE, sizeof(struct hsm_record));
	DEFINE(HSMREC_HARTID, offsetof(struct hsm_record, hartid));
	DEFINE(HSMREC_ARMED, offsetof(struct hsm_record, armed));
	DEFINE(HSMREC_SEEN_HARTID, offsetof(struct hsm_record, seen_hartid));
	DEFINE(HSMREC_SEEN_OPAQUE, offsetof(struct hsm_record, seen_opaque));
	DEFINE(HSMREC_SATP, offsetof(struct hsm_record, satp));
	DEFINE(HSMREC_SSTATUS, offsetof(struct hsm_record, sstatus));
	DEFINE(HSMREC_ODD_ENTRY, offsetof(struct hsm_record, odd_entry));
	DEFINE(HSMREC_ARRIVALS, offsetof(struct hsm_record, arrivals));
	DEFINE(HSMREC_MODE, offsetof(struct hsm_record, mode));
	DEFINE(HSMREC_SPIN, offsetof(struct hsm_record, spin));
	DEFINE(HSM_MODE_SUSPEND, HSM_MODE_SUSPEND);
	DEFINE(HSM_MODE_STOP_SIE, HSM_MODE_STOP_SIE);
	DEFINE(HSM_MODE_HOLD, HSM_MODE_HOLD);
	DEFINE(HSMREC_SUSP_TIMER, offsetof(struct hsm_record, susp_timer));
	DEFINE(HSMREC_RESUME_WAIT, offsetof(struct hsm_record, resume_wait));
	DEFINE(HSMREC_IPI_DEADLINE, offsetof(struct hsm_record, ipi_deadline));
	DEFINE(HSMREC_SSIP_SEEN, offsetof(struct hsm_record, ssip_seen));
	DEFINE(HSMREC_STOP_RET, offsetof(struct hsm_record, stop_ret));
	DEFINE(HSMREC_STOP_RETURNS, offsetof(struct hsm_record, stop_returns));
	DEFINE(HSMREC_TRAPS, offsetof(struct hsm_record, traps));
	DEFINE(HSMREC_SUSP_TYPE, offsetof(struct hsm_record, susp_type));
	DEFINE(HSMREC_SUSP_RESUME, offsetof(struct hsm_record, susp_resume));
	DEFINE(HSMREC_SUSP_OPAQUE, offsetof(struct hsm_record, susp_opaque));
	DEFINE(HSMREC_SUSP_RET, offsetof(struct hsm_record, susp_ret));
	DEFINE(HSMREC_SUSP_RETURNS, offsetof(struct hsm_record, susp_returns));
	DEFINE(HSMREC_RESUMES, offsetof(struct hsm_record, resumes));
}
