/* SPDX-License-Identifier: BSD-2-Clause */
/* What hsmtest.c, hsmtest_report.c and hsmtest_suspend.c share. */
#ifndef HP_RISCV_HSMTEST_INTERNAL_H
#define HP_RISCV_HSMTEST_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>
#include "hsmtest.h"

#define MAX_SPARES 8
#define SSTATUS_SIE_BIT (1ul << 1)

extern char hsmtest_entry[], hsmtest_resume[];

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
/* Waits up to @ms for the record's arrivals to pass @before: whether it did. */
bool wait_arrival(struct hsm_record *r, unsigned long before, unsigned int ms);

/* hsmtest_report.c: one check's line, the latency rows, the summary (and JSON). */
__attribute__((format(printf, 4, 5)))
void verdict(const char *v, const char *name, const char *section, const char *fmt, ...);
void hsm_latency_row(const char *what, uint64_t *v, unsigned int n);
void hsm_report_reset(void);
void hsm_report_summary(bool json, unsigned long seed);

/* hsmtest_suspend.c: the hart_suspend checks on spares[0]. */
void check_suspend(uint64_t fw_base);

#endif
