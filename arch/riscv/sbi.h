/* SPDX-License-Identifier: BSD-2-Clause */
/* SBI calls (the supervisor's interface to OpenSBI), one small wrapper each. */
#ifndef RISCV_SBI_H
#define RISCV_SBI_H

#include <stdbool.h>
#include <stdint.h>

#define SBI_EXT_BASE     0x10
#define SBI_EXT_TIME     0x54494D45
#define SBI_EXT_IPI      0x735049
#define SBI_EXT_RFENCE   0x52464E43
#define SBI_EXT_HSM      0x48534D
#define SBI_EXT_SRST     0x53525354
#define SBI_EXT_PMU      0x504D55
#define SBI_EXT_DBCN     0x4442434E
#define SBI_EXT_SUSP     0x53555350
#define SBI_EXT_CPPC     0x43505043
#define SBI_LEGACY_PUTCHAR 0x01
#define SBI_LEGACY_GETCHAR 0x02

#define SBI_SUCCESS                0
#define SBI_ERR_FAILED            -1
#define SBI_ERR_NOT_SUPPORTED     -2
#define SBI_ERR_INVALID_PARAM     -3
#define SBI_ERR_DENIED            -4
#define SBI_ERR_INVALID_ADDRESS   -5
#define SBI_ERR_ALREADY_AVAILABLE -6
#define SBI_ERR_ALREADY_STARTED   -7
#define SBI_ERR_ALREADY_STOPPED   -8
#define SBI_ERR_NO_SHMEM          -9

/* hart_get_status values (SBI spec, HSM chapter). */
#define SBI_HSM_STARTED          0
#define SBI_HSM_STOPPED          1
#define SBI_HSM_START_PENDING    2
#define SBI_HSM_STOP_PENDING     3
#define SBI_HSM_SUSPENDED        4
#define SBI_HSM_SUSPEND_PENDING  5
#define SBI_HSM_RESUME_PENDING   6

/*
 * hart_suspend types (SBI v2.0 §9.4, Table 35): the default retentive and
 * non-retentive ones; 1 is reserved, 0x10000000 the first platform-specific retentive.
 */
#define SBI_HSM_SUSPEND_RETENTIVE     0x0ul
#define SBI_HSM_SUSPEND_NON_RETENTIVE 0x80000000ul
#define SBI_HSM_SUSPEND_RESERVED      0x1ul
#define SBI_HSM_SUSPEND_PLATFORM      0x10000000ul

struct sbiret {
	long error;
	long value;
};

struct sbiret sbi_call(unsigned long ext, unsigned long fid, unsigned long a0,
		       unsigned long a1, unsigned long a2);

/* Probed once at boot by sbi_init(). */
struct sbi_info {
	unsigned long spec_version;
	unsigned long impl_id;
	unsigned long impl_version;
	bool has_time, has_ipi, has_hsm, has_srst, has_dbcn, has_rfence, has_pmu, has_susp;
};
extern struct sbi_info sbi;

void sbi_init(void);
int sbi_err_to_errno(long sbi_err);
const char *sbi_err_name(long sbi_err);

long sbi_hart_start(unsigned long hartid, unsigned long addr, unsigned long opaque);
/* Returns an SBI_HSM_* status, or a negative SBI error. */
long sbi_hart_get_status(unsigned long hartid);
long sbi_hart_suspend(uint32_t type);
long sbi_send_ipi_one(unsigned long hartid);
/* RFENCE remote_fence_i on one hart. */
long sbi_remote_fence_i_one(unsigned long hartid);
/*
 * An IPI, or a remote fence.i or sfence.vma (the whole address space), to the harts in
 * @mask counted from hart @base: what the firmware answered (hsmtest).
 */
long sbi_send_ipi_mask(unsigned long mask, unsigned long base);
long sbi_remote_fence_mask(bool sfence_vma, unsigned long mask, unsigned long base);
/* sbi.fault=stuck_stop: true if this hart's stop is to hang (it then never stops). */
bool sbi_fault_stop_sticks(unsigned long hartid);
/* At poweroff and reboot: what the sbi.ipi= emulation did, if it was on. */
void sbi_report_emulation(void);
void sbi_set_timer(uint64_t deadline);
void sbi_console_putc(char c);
int sbi_console_getc(void);
/* Shutdown or reset through SRST; returns only if SRST is absent or refused. */
long sbi_system_reset(uint32_t type, uint32_t reason);
#define SBI_SRST_SHUTDOWN   0
#define SBI_SRST_COLD_REBOOT 1
#define SBI_SRST_REASON_NONE 0
#define SBI_SRST_REASON_FAILURE 1

#endif
