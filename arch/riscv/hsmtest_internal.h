/* SPDX-License-Identifier: BSD-2-Clause */
/* What hsmtest.c, hsmtest_report.c and hsmtest_suspend.c share. */
#ifndef HP_RISCV_HSMTEST_INTERNAL_H
#define HP_RISCV_HSMTEST_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>
#include "hsmtest.h"

#define MAX_SPARES 8
#define SSTATUS_SIE_BIT (1ul << 1)

extern char hsmtest_entry[], hsmtest_resume[], hsmtest_odd_pad[];

/* What `hsm test` was asked for, handed to each check that needs a stopped hart. */
struct hsm_run {
	bool quick, icount;     /* fewer rounds; QEMU runs with -icount shift=0 */
	unsigned long seed;
};

/* A stopped hart the checks start, with its record. */
struct spare {
	unsigned long hartid;
	struct hsm_record *rec;
};
extern struct spare spares[MAX_SPARES];
extern unsigned int nspares;
extern unsigned long opaque_gen;        /* fresh for every start */

/* A status or an SBI error by name. */
const char *status_name(long s);
/* Waits up to @ms for @hartid's status to be @want; the last status seen. */
long wait_status(unsigned long hartid, long want, unsigned int ms);
/* Waits up to @ms for @counter (the record's arrivals) to pass @before: whether it did. */
bool wait_count(unsigned long *counter, unsigned long before, unsigned int ms);
bool wait_arrival(struct hsm_record *r, unsigned long before, unsigned int ms);

/*
 * Brings back a hart a check left behind (suspended for good, say, by a lost IPI) if it
 * can: an IPI, then a remote fence, which wakes a suspended hart in the firmware too.
 * Whether it is STOPPED now.
 */
bool hsm_rescue(struct spare *s);

/* hsmtest_report.c: one check's line, the latency rows, the summary (and JSON). */
__attribute__((format(printf, 4, 5)))
void verdict(const char *v, const char *name, const char *section, const char *fmt, ...);
void hsm_latency_row(const char *what, uint64_t *v, unsigned int n);
/* @under_icount: QEMU runs with -icount shift=0, so latencies are also instruction counts. */
void hsm_report_reset(bool under_icount);
void hsm_report_summary(bool json, unsigned long seed);

/* hsmtest_suspend.c: the hart_suspend checks on spares[0]. */
void check_suspend(const struct hsm_run *run);

/* hsmtest_ipi.c: IPIs and remote fences to harts in each HSM state, on spares[0]. */
void check_ipi_to_stopped(const struct hsm_run *run);
void check_ipi_and_fences(const struct hsm_run *run);

/* hsmtest_pending.c: calls in the START_PENDING, STOP_PENDING and RESUME_PENDING windows. */
void check_start_pending(const struct hsm_run *run);
void check_stop_pending(const struct hsm_run *run);
void check_resume_pending(const struct hsm_run *run);

/* hsmtest_storm.c: every online hart sends IPIs to all the others at once; each call bounded. */
void check_ipi_storm(const struct hsm_run *run);

/* hsmtest_torture.c: random operations from every online hart at once, under load. */
void check_torture(const struct hsm_run *run);

#endif
