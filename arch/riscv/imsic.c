/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * IPIs without M-mode (issue 13): when the device tree describes a supervisor-level
 * IMSIC (the AIA's incoming-MSI controller: `-M virt,aia=aplic-imsic`, QEMU 7.2 with
 * OpenSBI 1.1) and the boot hart has Ssaia, an IPI is one 32-bit store of its identity
 * into the target hart's S-level interrupt file, taken there as a supervisor external
 * interrupt and claimed through stopei: no ecall on either side. Without it IPIs stay
 * SBI's (arch.c). ../shared/PLATFORM.md records the registers and their values.
 *
 * A file keeps an identity pending while its hart is stopped, so a CPU coming back may
 * take one stale IPI: harmless, its reasons word says there is nothing to do.
 */
#include <string.h>
#include "imsic.h"
#include "csr.h"
#include "dtb.h"
#include "percpu.h"
#include "log.h"

#define CSR_SISELECT 0x150
#define CSR_SIREG    0x151
#define CSR_STOPEI   0x15c
#define ISEL_EIDELIVERY  0x70
#define ISEL_EITHRESHOLD 0x72
#define ISEL_EIE0        0xc0
#define IPI_ID       1            /* the identity hartplug's IPIs carry (riscv,ipi-id) */
#define FILE_STRIDE  0x1000

static bool imsic_on;
static uintptr_t file_of[NR_CPUS];

static void isel_write(unsigned long sel, unsigned long v)
{
	__asm__ __volatile__("csrw 0x150, %0\n\tcsrw 0x151, %1" : : "r"(sel), "r"(v) : "memory");
}

static unsigned long isel_read(unsigned long sel)
{
	unsigned long v;
	__asm__ __volatile__("csrw 0x150, %1\n\tcsrr %0, 0x151" : "=r"(v) : "r"(sel) : "memory");
	return v;
}

/* Which interrupt file belongs to @hartid: by its interrupt controller's phandle. */
static long file_index(const struct dt_platform *p, unsigned long hartid)
{
	for (unsigned int h = 0; h < p->hart_count; h++) {
		if (p->harts[h].hartid != hartid || !p->harts[h].intc_phandle) {
			continue;
		}
		for (unsigned int i = 0; i < p->imsic_files; i++) {
			if (p->imsic_intc[i] == p->harts[h].intc_phandle) {
				return (long)i;
			}
		}
	}
	return -1;
}

void imsic_setup(const struct dt_platform *p, bool ssaia)
{
	if (!p->imsic_files) {
		pr_info("IPIs: through SBI (no supervisor-level IMSIC in the device tree)\n");
		return;
	}
	if (!ssaia) {
		pr_info("IPIs: through SBI (an S-level IMSIC, but the boot hart lacks Ssaia)\n");
		return;
	}
	for (unsigned int cpu = 0; cpu < nr_cpu_ids; cpu++) {
		long i = file_index(p, cpus[cpu].hartid);
		if (i < 0) {
			pr_warn("IPIs: through SBI (hart %lu has no S-level interrupt file)\n", cpus[cpu].hartid);
			return;
		}
		file_of[cpu] = (uintptr_t)(p->imsic_base + (uint64_t)i * FILE_STRIDE);
	}
	imsic_on = true;
	pr_info("IPIs: S-level IMSIC at %#llx (%u hart files), no firmware call\n",
		(unsigned long long)p->imsic_base, p->imsic_files);
}

bool imsic_enabled(void)
{
	return imsic_on;
}

void imsic_cpu_init(void)
{
	if (!imsic_on) {
		return;
	}
	isel_write(ISEL_EIDELIVERY, 1);
	isel_write(ISEL_EITHRESHOLD, 0);
	isel_write(ISEL_EIE0, isel_read(ISEL_EIE0) | (1ul << IPI_ID));
	csr_set(sie, SIE_SEIE);
}

void imsic_send(unsigned int cpu)
{
	/* The reasons were stored before: they must be seen before the interrupt is. */
	__asm__ __volatile__("fence w, o" : : : "memory");
	*(volatile uint32_t *)file_of[cpu] = IPI_ID;
}

bool imsic_claim_ipi(void)
{
	bool ipi = false;
	unsigned long top;

	while ((top = csr_read_clear_stopei()) != 0) {
		unsigned long id = top >> 16;
		if (id == IPI_ID) {
			ipi = true;
		} else {
			pr_warn("IMSIC: unexpected interrupt identity %lu on CPU%u\n", id, this_cpu_id());
		}
	}
	return ipi;
}
