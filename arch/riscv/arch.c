/* SPDX-License-Identifier: BSD-2-Clause */
/* The arch contract (kernel/include/arch.h) on RISC-V S-mode with an SBI firmware. */
#include <stddef.h>
#include <string.h>
#include "arch.h"
#include "percpu.h"
#include "log.h"
#include "csr.h"
#include "sbi.h"
#include "imsic.h"
#include "dtb.h"
#include "hsmtest.h"
#include "err.h"
#include "param.h"
#include <stdio.h>

extern char secondary_entry[], quiesce_entry[], hart_stop_stub[], trap_entry[];

static bool have_sstc;
static bool have_ssaia;
static uint64_t firmware_base;            /* the start of RAM: where the SBI firmware lives */
static uintptr_t exit_device;             /* sifive,test0: writes leave QEMU */
static uint64_t timer_cmp[NR_CPUS];       /* what each CPU's compare holds */

#define EXIT_PASS  0x5555u
#define EXIT_FAIL  0x3333u
#define EXIT_RESET 0x7777u

void arch_early_init(void)
{
	sbi_init();
}

void arch_platform_init(const char *boot_isa, uint64_t exit_dev)
{
	/* Sstc lets S-mode write its own timer compare: no ecall per tick. */
	have_sstc = boot_isa && strstr(boot_isa, "_sstc") != NULL;
	/* Ssaia: the AIA's S-mode CSRs, needed to take IPIs from an IMSIC (imsic.c). */
	have_ssaia = boot_isa && strstr(boot_isa, "_ssaia") != NULL;
	exit_device = (uintptr_t)exit_dev;
}

void arch_platform_setup(const struct dt_platform *p)
{
	imsic_setup(p, have_ssaia);
	firmware_base = p->mem_base;
}

unsigned long long arch_firmware_base(void)
{
	return firmware_base;
}

void arch_cpu_init(void)
{
	arch_mmu_enable();
	/* User programs may read cycle, time and instret (benchmarks count instructions). */
	csr_write(scounteren, 7);
	csr_write(stvec, (unsigned long)trap_entry);
	csr_write(sscratch, 0);
	csr_clear(sip, SIP_SSIP);
	timer_cmp[arch_this_cpu()->id] = ~0ull;
	arch_timer_program(~0ull);
	csr_set(sie, SIE_SSIE | SIE_STIE);
	imsic_cpu_init();
}

struct cpu *arch_this_cpu(void)
{
	struct cpu *c;
	__asm__ __volatile__("mv %0, tp" : "=r"(c));
	return c;
}

struct task *arch_this_cpu_current(void)
{
	struct task *t;
	/* One load through tp: an interrupt comes before it or after it, never between. */
	__asm__ __volatile__("ld %0, %1(tp)" : "=r"(t) : "i"(offsetof(struct cpu, current)));
	return t;
}

unsigned long arch_irq_save(void)
{
	return csr_read_clear(sstatus, SSTATUS_SIE) & SSTATUS_SIE;
}

void arch_irq_restore(unsigned long flags)
{
	if (flags & SSTATUS_SIE) {
		csr_set(sstatus, SSTATUS_SIE);
	}
}

void arch_irq_enable(void)
{
	csr_set(sstatus, SSTATUS_SIE);
}

void arch_irq_disable(void)
{
	csr_clear(sstatus, SSTATUS_SIE);
}

bool arch_irqs_enabled(void)
{
	return csr_read(sstatus) & SSTATUS_SIE;
}

uint64_t arch_time_now(void)
{
	return rdtime();
}

static void timer_hw_write(uint64_t deadline)
{
	if (have_sstc) {
		__asm__ __volatile__("csrw %0, %1" :: "i"(CSR_STIMECMP), "r"(deadline) : "memory");
	} else {
		sbi_set_timer(deadline);
	}
}

void arch_timer_program(uint64_t deadline)
{
	timer_cmp[arch_this_cpu()->id] = deadline;
	timer_hw_write(deadline);
}

void arch_wait_brief(uint64_t ticks)
{
	unsigned long flags = arch_irq_save();
	unsigned int id = arch_this_cpu()->id;
	uint64_t old = timer_cmp[id];
	uint64_t deadline = rdtime() + ticks;

	/*
	 * Arm a wake-up before halting: WFI ends on any pending enabled interrupt even with
	 * SIE clear, and the timer is the one that is sure to come. Putting the old compare
	 * back afterwards keeps the tick; if it has passed meanwhile, its interrupt is
	 * simply pending and taken when the caller enables interrupts.
	 */
	if (deadline < old) {
		timer_hw_write(deadline);
	}
	wfi();
	if (deadline < old) {
		timer_hw_write(old);
	}
	arch_irq_restore(flags);
}

bool arch_cpu_idle(void)
{
	wfi();
	if (imsic_enabled()) {
		return imsic_claim_ipi();
	}
	if (csr_read(sip) & SIP_SSIP) {
		csr_clear(sip, SIP_SSIP);
		return true;
	}
	return false;
}

int arch_send_ipi(unsigned int cpu)
{
	if (imsic_enabled()) {
		imsic_send(cpu);
		return 0;
	}
	long err = sbi_send_ipi_one(cpus[cpu].hartid);
	if (err) {
		pr_err("IPI to CPU%u (hart %lu) failed: %s\n", cpu, cpus[cpu].hartid, sbi_err_name(err));
		return sbi_err_to_errno(err);
	}
	return 0;
}

/*
 * SBI takes a mask of up to 64 harts above a base hart id: one call per such window.
 * Should a call fail (newer firmware refuses a whole mask that names a hart not
 * STARTED), each CPU of its window is sent its own, so a refusal is reported for the
 * CPU it concerns and spares the others.
 */
int arch_send_ipi_mask(const struct cpumask *mask)
{
	struct cpumask left = *mask;
	unsigned int cpu;
	int err = 0;

	if (imsic_enabled()) {
		for_each_cpu(cpu, &left) {
			imsic_send(cpu);
		}
		return 0;
	}
	while (!cpumask_empty(&left)) {
		unsigned long base = ~0UL, bits = 0;
		for_each_cpu(cpu, &left) {
			base = cpus[cpu].hartid < base ? cpus[cpu].hartid : base;
		}
		struct cpumask window;
		cpumask_clear(&window);
		for_each_cpu(cpu, &left) {
			if (cpus[cpu].hartid - base < 64) {
				bits |= 1UL << (cpus[cpu].hartid - base);
				cpumask_set(&window, cpu);
				cpumask_unset(&left, cpu);
			}
		}
		if (sbi_send_ipi_mask(bits, base) == SBI_SUCCESS) {
			continue;
		}
		for_each_cpu(cpu, &window) {
			int e = arch_send_ipi(cpu);
			err = err ? err : e;
		}
	}
	return err;
}

int arch_remote_fence_i(unsigned int cpu)
{
	long err = sbi_remote_fence_i_one(cpus[cpu].hartid);
	if (err) {
		pr_err("remote fence.i on CPU%u (hart %lu) failed: %s\n", cpu, cpus[cpu].hartid,
		       sbi_err_name(err));
		return sbi_err_to_errno(err);
	}
	return 0;
}

/*
 * Test aid: where secondaries are started, to reproduce OpenSBI 1.1's stale start
 * (the state is written before the opaque, the opaque before the address, so a hart
 * can leave with the old address and either opaque).
 */
static char *start_entry = secondary_entry;
static char *quiesce_start_entry = quiesce_entry;

/*
 * sbi.stale_start=reset|quiesce: every bring-up leaves with that stale address;
 * =secondary: every start into the stop stub leaves with a bring-up's old address
 * (and the new opaque, 0), as after an online CPU was taken down.
 */
static int param_stale_start(struct cmdline *cl, struct bootparam *bp, char *err, size_t len)
{
	extern char _start[];

	(void)cl;
	if (bp->value && strcmp(bp->value, "reset") == 0) {
		start_entry = _start;
	} else if (bp->value && strcmp(bp->value, "quiesce") == 0) {
		start_entry = quiesce_entry;
	} else if (bp->value && strcmp(bp->value, "secondary") == 0) {
		quiesce_start_entry = secondary_entry;
	} else {
		snprintf(err, len, "'sbi.stale_start': reset, quiesce or secondary");
		return -EINVAL;
	}
	return 0;
}
BOOT_PARAM("sbi.stale_start", param_stale_start);

int arch_cpu_start(unsigned int cpu, long *fw_err)
{
	long err = sbi_hart_start(cpus[cpu].hartid, (unsigned long)start_entry,
				  (unsigned long)&cpus[cpu]);
	*fw_err = err;
	return sbi_err_to_errno(err);
}

static int status_from_sbi(long s)
{
	switch (s) {
	case SBI_HSM_STARTED: return ARCH_CPU_STARTED;
	case SBI_HSM_STOPPED: return ARCH_CPU_STOPPED;
	case SBI_HSM_START_PENDING: return ARCH_CPU_START_PENDING;
	case SBI_HSM_STOP_PENDING: return ARCH_CPU_STOP_PENDING;
	case SBI_HSM_SUSPENDED: return ARCH_CPU_SUSPENDED;
	case SBI_HSM_SUSPEND_PENDING: return ARCH_CPU_SUSPEND_PENDING;
	case SBI_HSM_RESUME_PENDING: return ARCH_CPU_RESUME_PENDING;
	default: return ARCH_CPU_STATUS_UNKNOWN;
	}
}

int arch_hart_status(unsigned long hartid, long *fw_err)
{
	long s = sbi_hart_get_status(hartid);
	if (s < 0) {
		*fw_err = s;
		return sbi_err_to_errno(s);
	}
	*fw_err = 0;
	return status_from_sbi(s);
}

const char *arch_cpu_status_name(int status)
{
	static const char *const names[] = {
		[ARCH_CPU_STARTED] = "STARTED",
		[ARCH_CPU_STOPPED] = "STOPPED",
		[ARCH_CPU_START_PENDING] = "START_PENDING",
		[ARCH_CPU_STOP_PENDING] = "STOP_PENDING",
		[ARCH_CPU_SUSPENDED] = "SUSPENDED",
		[ARCH_CPU_SUSPEND_PENDING] = "SUSPEND_PENDING",
		[ARCH_CPU_RESUME_PENDING] = "RESUME_PENDING",
		[ARCH_CPU_STATUS_UNKNOWN] = "UNKNOWN",
	};
	if (status < 0 || status > ARCH_CPU_STATUS_UNKNOWN) {
		return "UNKNOWN";
	}
	return names[status];
}

const char *arch_fw_err_name(long fw_err)
{
	return sbi_err_name(fw_err);
}

__noreturn void arch_cpu_quiesce(void)
{
	((void (*)(void))(uintptr_t)hart_stop_stub)();
	__builtin_unreachable();
}

int arch_hart_quiesce_start(unsigned long hartid, long *fw_err)
{
	long err = sbi_hart_start(hartid, (unsigned long)quiesce_start_entry, 0);
	*fw_err = err;
	return sbi_err_to_errno(err);
}

void arch_context_init(struct arch_context *ctx, void *stack_top, void (*entry)(void))
{
	memset(ctx, 0, sizeof(*ctx));
	ctx->saved[0] = (unsigned long)entry;        /* ra */
	ctx->saved[1] = (unsigned long)stack_top;    /* sp */
}

void arch_console_putc(char c)
{
	sbi_console_putc(c);
}

int arch_console_getc(void)
{
	return sbi_console_getc();
}

static const char *impl_name(unsigned long id)
{
	switch (id) {
	case 0: return "BBL";
	case 1: return "OpenSBI";
	case 2: return "Xvisor";
	case 3: return "KVM";
	case 4: return "RustSBI";
	case 5: return "Diosix";
	default: return "unknown";
	}
}

void arch_platform_report(void)
{
	unsigned long iv = sbi.impl_version;
	pr_info("SBI: spec v%lu.%lu, implementation %s v%lu.%lu\n",
		(sbi.spec_version >> 24) & 0x7f, sbi.spec_version & 0xffffff,
		impl_name(sbi.impl_id), iv >> 16, iv & 0xffff);
	pr_info("SBI extensions:%s%s%s%s%s%s%s%s\n", sbi.has_time ? " TIME" : "",
		sbi.has_ipi ? " IPI" : "", sbi.has_rfence ? " RFENCE" : "",
		sbi.has_hsm ? " HSM" : "", sbi.has_srst ? " SRST" : "",
		sbi.has_pmu ? " PMU" : "", sbi.has_dbcn ? " DBCN" : "", sbi.has_susp ? " SUSP" : "");
	pr_info("console: %s; timer: %s\n", sbi.has_dbcn ? "SBI DBCN" : "SBI legacy putchar",
		have_sstc ? "Sstc stimecmp" : "SBI TIME");
	if (!sbi.has_hsm) {
		pr_warn("SBI HSM absent: secondary harts cannot be started\n");
	}
}

static void exit_device_write(uint32_t v)
{
	if (exit_device) {
		*(volatile uint32_t *)exit_device = v;
	}
}

void arch_poweroff(void)
{
	sbi_report_emulation();
	sbi_system_reset(SBI_SRST_SHUTDOWN, SBI_SRST_REASON_NONE);
	exit_device_write(EXIT_PASS);
	arch_cpu_halt();
}

void arch_reboot(void)
{
	sbi_report_emulation();
	sbi_system_reset(SBI_SRST_COLD_REBOOT, SBI_SRST_REASON_NONE);
	exit_device_write(EXIT_RESET);
	arch_cpu_halt();
}

void arch_fail_exit(int code)
{
	/* SRST always makes QEMU exit 0; only the test device can report failure. */
	exit_device_write(((uint32_t)(code & 0xff) << 16) | EXIT_FAIL);
	sbi_system_reset(SBI_SRST_SHUTDOWN, SBI_SRST_REASON_FAILURE);
	arch_cpu_halt();
}

void arch_cpu_halt(void)
{
	arch_irq_disable();
	csr_write(sie, 0);
	for (;;) {
		wfi();
	}
}

void arch_trigger_fault(void)
{
	/* The firmware's own region: PMP denies S-mode, so this is a load access fault. */
	(void)*(volatile unsigned long *)(uintptr_t)arch_firmware_base();
}
