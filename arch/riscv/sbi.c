/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * SBI wrappers. Errors are mapped to kernel errnos in one place, and each SBI error
 * keeps its spec name for messages (SBI spec 1.0, "Binary Encoding").
 */
#include <string.h>
#include "sbi.h"
#include "arch.h"
#include "err.h"
#include "log.h"
#include "param.h"
#include "cmdline.h"
#include "kernel.h"
#include "bitops.h"
#include <stdio.h>

struct sbi_info sbi;

/* An SBI call with up to four arguments (a3 for the calls that take one). */
static struct sbiret sbi_call4(unsigned long ext, unsigned long fid, unsigned long a0, unsigned long a1,
			       unsigned long a2, unsigned long a3)
{
	register unsigned long r_a0 __asm__("a0") = a0;
	register unsigned long r_a1 __asm__("a1") = a1;
	register unsigned long r_a2 __asm__("a2") = a2;
	register unsigned long r_a3 __asm__("a3") = a3;
	register unsigned long r_a6 __asm__("a6") = fid;
	register unsigned long r_a7 __asm__("a7") = ext;

	__asm__ __volatile__("ecall"
			     : "+r"(r_a0), "+r"(r_a1)
			     : "r"(r_a2), "r"(r_a3), "r"(r_a6), "r"(r_a7)
			     : "memory");
	return (struct sbiret){ .error = (long)r_a0, .value = (long)r_a1 };
}

struct sbiret sbi_call(unsigned long ext, unsigned long fid, unsigned long a0,
		       unsigned long a1, unsigned long a2)
{
	return sbi_call4(ext, fid, a0, a1, a2, 0);
}

static bool probe(unsigned long ext)
{
	struct sbiret r = sbi_call(SBI_EXT_BASE, 3, ext, 0, 0);
	return r.error == SBI_SUCCESS && r.value != 0;
}

void sbi_init(void)
{
	sbi.spec_version = (unsigned long)sbi_call(SBI_EXT_BASE, 0, 0, 0, 0).value;
	sbi.impl_id = (unsigned long)sbi_call(SBI_EXT_BASE, 1, 0, 0, 0).value;
	sbi.impl_version = (unsigned long)sbi_call(SBI_EXT_BASE, 2, 0, 0, 0).value;
	sbi.has_time = probe(SBI_EXT_TIME);
	sbi.has_ipi = probe(SBI_EXT_IPI);
	sbi.has_rfence = probe(SBI_EXT_RFENCE);
	sbi.has_hsm = probe(SBI_EXT_HSM);
	sbi.has_srst = probe(SBI_EXT_SRST);
	sbi.has_pmu = probe(SBI_EXT_PMU);
	sbi.has_dbcn = probe(SBI_EXT_DBCN);
	sbi.has_susp = probe(SBI_EXT_SUSP);
}

static const struct {
	long code;
	const char *name;
	int err;
} sbi_errs[] = {
	{ SBI_SUCCESS, "SBI_SUCCESS", 0 },
	{ SBI_ERR_FAILED, "SBI_ERR_FAILED", -EIO },
	{ SBI_ERR_NOT_SUPPORTED, "SBI_ERR_NOT_SUPPORTED", -EOPNOTSUPP },
	{ SBI_ERR_INVALID_PARAM, "SBI_ERR_INVALID_PARAM", -EINVAL },
	{ SBI_ERR_DENIED, "SBI_ERR_DENIED", -EPERM },
	{ SBI_ERR_INVALID_ADDRESS, "SBI_ERR_INVALID_ADDRESS", -EFAULT },
	{ SBI_ERR_ALREADY_AVAILABLE, "SBI_ERR_ALREADY_AVAILABLE", -EBUSY },
	{ SBI_ERR_ALREADY_STARTED, "SBI_ERR_ALREADY_STARTED", -EBUSY },
	{ SBI_ERR_ALREADY_STOPPED, "SBI_ERR_ALREADY_STOPPED", -EALREADY },
	{ SBI_ERR_NO_SHMEM, "SBI_ERR_NO_SHMEM", -ENOMEM },
};

int sbi_err_to_errno(long sbi_err)
{
	for (unsigned int i = 0; i < sizeof(sbi_errs) / sizeof(sbi_errs[0]); i++) {
		if (sbi_errs[i].code == sbi_err) {
			return sbi_errs[i].err;
		}
	}
	return -EIO;
}

const char *sbi_err_name(long sbi_err)
{
	for (unsigned int i = 0; i < sizeof(sbi_errs) / sizeof(sbi_errs[0]); i++) {
		if (sbi_errs[i].code == sbi_err) {
			return sbi_errs[i].name;
		}
	}
	return "SBI_ERR_UNKNOWN";
}

/*
 * Test aid, sbi.fault=KIND:HART: a firmware fault on one hart. start_error: hart_start
 * fails (SBI_ERR_FAILED); no_arrive: hart_start succeeds but the hart never runs;
 * stuck_stop: once the hart asks to stop, it stays STOP_PENDING for good.
 */
enum hsm_fault { FAULT_NONE, FAULT_START_ERROR, FAULT_NO_ARRIVE, FAULT_STUCK_STOP };
static enum hsm_fault hsm_fault;
static unsigned long fault_hart;
static bool fault_stop_asked;

static int param_fault(struct cmdline *cl, struct bootparam *bp, char *err, size_t len)
{
	static const char *const kinds[] = { "start_error", "no_arrive", "stuck_stop" };
	unsigned long hart;

	(void)cl;
	for (unsigned int k = 0; bp->value && k < ARRAY_SIZE(kinds); k++) {
		size_t n = strlen(kinds[k]);
		if (strncmp(bp->value, kinds[k], n) == 0 && bp->value[n] == ':' &&
		    parse_ulong(bp->value + n + 1, &hart)) {
			hsm_fault = (enum hsm_fault)(k + 1);
			fault_hart = hart;
			return 0;
		}
	}
	snprintf(err, len, "'sbi.fault': start_error:HART, no_arrive:HART or stuck_stop:HART");
	return -EINVAL;
}
BOOT_PARAM("sbi.fault", param_fault);

/*
 * Test aid for hsmtest (arch/riscv/hsmtest.c, docs/hsmtest.md): sbi.hsm_emulate=KIND
 * makes this layer behave like a firmware with one known deviation, so that each check
 * can be shown to catch its own:
 *   already_code  hart_start on a started hart answers FAILED, not ALREADY_AVAILABLE;
 *   stale_opaque  one start in eight of a hart enters with that hart's previous opaque
 *                 (OpenSBI 1.1's start race, which writes the state before the opaque);
 *   keep_pending  a start that failed leaves the hart START_PENDING (until OpenSBI 1.5);
 *   double_start  a start refused within a millisecond of another start of the same
 *                 hart answers SUCCESS too: two callers both believe they started it;
 *   drop_suspended_ipi  an IPI to a SUSPENDED hart is dropped (OpenSBI before 1.4 lost
 *                 those to a hart in RESUME_PENDING);
 *   refuse_fence  a remote fence whose hart mask names a STOPPED hart fails with
 *                 SBI_ERR_FAILED, though a stopped hart is a valid one with nothing to fence;
 *   sync_start    not a deviation: a start returns only once the hart has left
 *                 START_PENDING, as a firmware may, and as a busy host makes it look,
 *                 so that no check ever reads that state.
 */
enum hsm_emulation { HSM_AS_IS, HSM_ALREADY_CODE, HSM_STALE_OPAQUE, HSM_KEEP_PENDING, HSM_DOUBLE_START,
		     HSM_DROP_SUSPENDED_IPI, HSM_REFUSE_FENCE, HSM_SYNC_START };
static enum hsm_emulation hsm_emulation;
#define EMU_HARTS 512
static unsigned long last_opaque[EMU_HARTS], starts[EMU_HARTS];
static bool pending_after_failure[EMU_HARTS];
static uint64_t last_start[EMU_HARTS];

static int param_hsm_emulate(struct cmdline *cl, struct bootparam *bp, char *err, size_t len)
{
	static const char *const kinds[] = { "already_code", "stale_opaque", "keep_pending",
					     "double_start", "drop_suspended_ipi", "refuse_fence",
					     "sync_start" };
	(void)cl;
	for (unsigned int k = 0; bp->value && k < ARRAY_SIZE(kinds); k++) {
		if (strcmp(bp->value, kinds[k]) == 0) {
			hsm_emulation = (enum hsm_emulation)(k + 1);
			return 0;
		}
	}
	snprintf(err, len, "'sbi.hsm_emulate': already_code, stale_opaque, keep_pending, double_start, "
		 "drop_suspended_ipi, refuse_fence or sync_start");
	return -EINVAL;
}
BOOT_PARAM("sbi.hsm_emulate", param_hsm_emulate);

long sbi_hart_start(unsigned long hartid, unsigned long addr, unsigned long opaque)
{
	if (hsm_fault == FAULT_START_ERROR && hartid == fault_hart) {
		return SBI_ERR_FAILED;
	}
	if (hsm_fault == FAULT_NO_ARRIVE && hartid == fault_hart) {
		return SBI_SUCCESS;
	}
	unsigned long arg = opaque;
	if (hsm_emulation == HSM_STALE_OPAQUE && hartid < EMU_HARTS && ++starts[hartid] % 8 == 0) {
		arg = last_opaque[hartid];
	}
	long err = sbi_call(SBI_EXT_HSM, 0, hartid, addr, arg).error;
	if (hartid < EMU_HARTS) {
		last_opaque[hartid] = err ? last_opaque[hartid] : opaque;
		pending_after_failure[hartid] = hsm_emulation == HSM_KEEP_PENDING && err &&
						err != SBI_ERR_ALREADY_AVAILABLE && err != SBI_ERR_INVALID_PARAM;
	}
	if (hsm_emulation == HSM_SYNC_START && !err) {
		/* Bounded: a hart the firmware never starts must not hang the caller. */
		uint64_t give_up = arch_time_now() + log_timebase();
		while (sbi_call(SBI_EXT_HSM, 2, hartid, 0, 0).value == SBI_HSM_START_PENDING &&
		       arch_time_now() < give_up) {
		}
	}
	if (hsm_emulation == HSM_ALREADY_CODE && err == SBI_ERR_ALREADY_AVAILABLE) {
		return SBI_ERR_FAILED;
	}
	if (hsm_emulation == HSM_DOUBLE_START && hartid < EMU_HARTS) {
		uint64_t now = arch_time_now(), then = __atomic_exchange_n(&last_start[hartid], now,
									    __ATOMIC_ACQ_REL);
		if (err && now - then < log_timebase() / 1000) {
			return SBI_SUCCESS;
		}
	}
	return err;
}

long sbi_hart_get_status(unsigned long hartid)
{
	if (hsm_fault == FAULT_STUCK_STOP && hartid == fault_hart &&
	    __atomic_load_n(&fault_stop_asked, __ATOMIC_ACQUIRE)) {
		return SBI_HSM_STOP_PENDING;
	}
	if (hartid < EMU_HARTS && pending_after_failure[hartid]) {
		return SBI_HSM_START_PENDING;
	}
	struct sbiret r = sbi_call(SBI_EXT_HSM, 2, hartid, 0, 0);
	return r.error ? r.error : r.value;
}

bool sbi_fault_stop_sticks(unsigned long hartid)
{
	if (hsm_fault != FAULT_STUCK_STOP || hartid != fault_hart) {
		return false;
	}
	__atomic_store_n(&fault_stop_asked, true, __ATOMIC_RELEASE);
	return true;
}

long sbi_hart_suspend(uint32_t type)
{
	return sbi_call(SBI_EXT_HSM, 3, type, 0, 0).error;
}

/*
 * Test aids. sbi.ipi=refuse|drop: what other firmware does with an IPI or a remote
 * fence to a hart that is not STARTED or SUSPENDED. OpenSBI v1.7-v1.8 refuse it
 * (INVALID_PARAM); v1.1 and later upstream drop it. Emulated here, before the ecall, so the kernel can be shown
 * never to depend on such an IPI on the firmware CI has. sbi.ipi=lossy: a faulty
 * firmware that silently loses one IPI in eight, whatever the target's state.
 * sbi.ipi=convoy: OpenSBI v1.5 and later, whose every send_ipi holds one ticket lock
 * of the domain around a loop over the harts (arch/riscv/ipi_combine.c): here a
 * ticket lock around the call and a loop of as many steps as there are harts, so that
 * hsmtest's storm can be shown to catch the convoy on the firmware CI has.
 */
enum ipi_emulation { IPI_AS_IS, IPI_REFUSE, IPI_DROP, IPI_LOSSY, IPI_CONVOY };
static enum ipi_emulation ipi_emulation;
static unsigned long ipi_sent, ipi_lost;

static int param_ipi(struct cmdline *cl, struct bootparam *bp, char *err, size_t len)
{
	(void)cl;
	if (bp->value && strcmp(bp->value, "refuse") == 0) {
		ipi_emulation = IPI_REFUSE;
	} else if (bp->value && strcmp(bp->value, "drop") == 0) {
		ipi_emulation = IPI_DROP;
	} else if (bp->value && strcmp(bp->value, "lossy") == 0) {
		ipi_emulation = IPI_LOSSY;
	} else if (bp->value && strcmp(bp->value, "convoy") == 0) {
		ipi_emulation = IPI_CONVOY;
	} else {
		snprintf(err, len, "'sbi.ipi': refuse, drop, lossy or convoy");
		return -EINVAL;
	}
	return 0;
}
BOOT_PARAM("sbi.ipi", param_ipi);

/*
 * sbi.ipi=refuse|drop for a call that names @hartid (@what: "IPI", "remote fence"):
 * true if the emulated firmware does not pass it on; *@err is then what it returns.
 */
static bool emulate_not_started(const char *what, unsigned long hartid, long *err)
{
	if (ipi_emulation != IPI_REFUSE && ipi_emulation != IPI_DROP) {
		return false;
	}
	long st = sbi_hart_get_status(hartid);
	if (st == SBI_HSM_STARTED || st == SBI_HSM_SUSPENDED) {
		return false;
	}
	bool refuse = ipi_emulation == IPI_REFUSE;
	pr_warn("sbi.ipi=%s: %s to hart %lu %s (HSM status %ld)\n", refuse ? "refuse" : "drop",
		what, hartid, refuse ? "refused" : "dropped", st);
	*err = refuse ? SBI_ERR_INVALID_PARAM : SBI_SUCCESS;
	return true;
}

/*
 * The emulations of sbi.ipi= and sbi.hsm_emulate= for a call naming the harts in @mask
 * from @base: the harts to pass on to the firmware, or true with *@err if the emulated
 * firmware answers the whole call itself.
 */
static bool emulate_mask(const char *what, bool fence, unsigned long *mask, unsigned long base, long *err)
{
	unsigned long pass = 0;

	if (ipi_emulation == IPI_AS_IS && hsm_emulation == HSM_AS_IS) {
		return false;   /* the usual case, on every IPI: nothing to look at */
	}
	for (unsigned long m = *mask; m; m &= m - 1) {
		unsigned int i = ctz64(m);
		unsigned long hart = base + i;
		long e = SBI_SUCCESS;
		if (emulate_not_started(what, hart, &e)) {
			if (e) {
				*err = e;
				return true;
			}
			continue;       /* dropped */
		}
		long st = hsm_emulation ? sbi_hart_get_status(hart) : SBI_HSM_STARTED;
		if (fence && hsm_emulation == HSM_REFUSE_FENCE && st == SBI_HSM_STOPPED) {
			*err = SBI_ERR_FAILED;
			return true;
		}
		if (!fence && hsm_emulation == HSM_DROP_SUSPENDED_IPI && st == SBI_HSM_SUSPENDED) {
			continue;
		}
		pass |= 1ul << i;
	}
	if (!pass && *mask) {
		*err = SBI_SUCCESS;     /* every hart dropped: nothing reaches the firmware */
		return true;
	}
	*mask = pass;
	return false;
}

static unsigned int convoy_next, convoy_serving;

/* The emulated firmware's lock: first come, first served, as OpenSBI's spin_lock. */
static long convoy_call(unsigned long mask, unsigned long base)
{
	unsigned int mine = __atomic_fetch_add(&convoy_next, 1, __ATOMIC_SEQ_CST);
	while (__atomic_load_n(&convoy_serving, __ATOMIC_ACQUIRE) != mine) {
	}
	for (volatile unsigned int i = 0; i < 64 * 8; i++) {    /* its loop over the harts */
	}
	long err = sbi_call(SBI_EXT_IPI, 0, mask, base, 0).error;
	__atomic_store_n(&convoy_serving, mine + 1, __ATOMIC_RELEASE);
	return err;
}

long sbi_send_ipi_mask(unsigned long mask, unsigned long base)
{
	long err;
	if (ipi_emulation == IPI_CONVOY) {
		return convoy_call(mask, base);
	}
	if (ipi_emulation == IPI_LOSSY) {
		if (__atomic_add_fetch(&ipi_sent, 1, __ATOMIC_RELAXED) % 8 == 0) {
			__atomic_add_fetch(&ipi_lost, 1, __ATOMIC_RELAXED);
			return SBI_SUCCESS;
		}
	} else if (emulate_mask("IPI", false, &mask, base, &err)) {
		return err;
	}
	return sbi_call(SBI_EXT_IPI, 0, mask, base, 0).error;
}

long sbi_remote_fence_mask(bool sfence_vma, unsigned long mask, unsigned long base)
{
	long err;
	if (emulate_mask("remote fence", true, &mask, base, &err)) {
		return err;
	}
	/* sfence.vma with start 0 and size 0: the whole address space (RFENCE FID 1). */
	return sbi_call4(SBI_EXT_RFENCE, sfence_vma ? 1 : 0, mask, base, 0, 0).error;
}

/* One hart whatever its id: hart_mask = bit 0, hart_mask_base = the hart. */
long sbi_send_ipi_one(unsigned long hartid)
{
	return sbi_send_ipi_mask(1, hartid);
}

long sbi_remote_fence_i_one(unsigned long hartid)
{
	return sbi_remote_fence_mask(false, 1, hartid);
}

void sbi_set_timer(uint64_t deadline)
{
	sbi_call(SBI_EXT_TIME, 0, deadline, 0, 0);
}

void sbi_console_putc(char c)
{
	if (sbi.has_dbcn) {
		/* DBCN write_byte (FID 2). */
		sbi_call(SBI_EXT_DBCN, 2, (unsigned char)c, 0, 0);
	} else {
		sbi_call(SBI_LEGACY_PUTCHAR, 0, (unsigned char)c, 0, 0);
	}
}

int sbi_console_getc(void)
{
	if (sbi.has_dbcn) {
		unsigned char c;
		struct sbiret r = sbi_call(SBI_EXT_DBCN, 1, 1, (unsigned long)&c, 0);
		return r.error == 0 && r.value == 1 ? c : -1;
	}
	/* The legacy call returns the error code in a0 and -1 when nothing is waiting. */
	struct sbiret r = sbi_call(SBI_LEGACY_GETCHAR, 0, 0, 0, 0);
	return r.error >= 0 && r.error <= 0xff ? (int)r.error : -1;
}

long sbi_system_reset(uint32_t type, uint32_t reason)
{
	/* Not gated on the probe: panic may come before it, and a missing SRST just fails. */
	return sbi_call(SBI_EXT_SRST, 0, type, reason, 0).error;
}

void sbi_report_emulation(void)
{
	if (ipi_emulation == IPI_LOSSY) {
		pr_notice("sbi.ipi=lossy: %lu of %lu IPIs lost\n", ipi_lost, ipi_sent);
	}
}
