/* SPDX-License-Identifier: BSD-2-Clause */
/* hsmtest's hart_suspend checks (hsmtest.c runs them, last). */
#include "hsmtest_internal.h"
#include "sbi.h"
#include "arch.h"
#include "log.h"

/*
 * Suspends, made by the started hart itself (entry.S) on the record's word, last: a
 * hart that never wakes is lost to any check after it. The types are sbi.h's.
 */

struct suspend_result {
	long start_err, ret;            /* the start, and what hart_suspend returned */
	bool arrived, suspended, woke, returned, resumed, stopped;
};

/* Starts @s to suspend with @type (resuming at @resume), wakes it with an IPI if it suspends. */
static struct suspend_result suspend_once(struct spare *s, unsigned long type, unsigned long resume)
{
	struct hsm_record *r = s->rec;
	struct suspend_result out = { 0 };
	unsigned long arrivals = r->arrivals, returns = r->susp_returns, resumes = r->resumes;

	r->susp_type = type;
	r->susp_resume = resume;
	r->susp_opaque = ++opaque_gen;
	r->susp_ret = 1;
	__atomic_store_n(&r->mode, HSM_MODE_SUSPEND, __ATOMIC_RELEASE);
	out.start_err = sbi_hart_start(s->hartid, (unsigned long)hsmtest_entry, ++opaque_gen);
	out.arrived = !out.start_err && wait_arrival(r, arrivals, 1000);
	if (out.arrived) {
		/* It either returns at once (refused) or suspends. */
		uint64_t give_up = arch_time_now() + log_timebase() / 10;
		long st;
		while (__atomic_load_n(&r->susp_returns, __ATOMIC_ACQUIRE) == returns &&
		       (st = sbi_hart_get_status(s->hartid)) != SBI_HSM_SUSPENDED &&
		       arch_time_now() < give_up) {
			arch_wait_brief(10);
		}
		out.suspended = sbi_hart_get_status(s->hartid) == SBI_HSM_SUSPENDED;
		if (!out.suspended) {
			/*
			 * The loop may have ended on a SUSPENDED the hart left on its own (a
			 * firmware that refuses a type after it entered the state, as 1.1 does
			 * for a platform type): its ecall has returned, its count is a few
			 * instructions away, and a host that deschedules it there must not
			 * make that "nothing". Wait for the count as before the loop ended.
			 */
			give_up = arch_time_now() + log_timebase() / 10;
			while (__atomic_load_n(&r->susp_returns, __ATOMIC_ACQUIRE) == returns &&
			       arch_time_now() < give_up) {
				arch_wait_brief(10);
			}
		}
		if (out.suspended) {
			sbi_send_ipi_one(s->hartid);
			give_up = arch_time_now() + log_timebase();
			while (r->susp_returns == returns && r->resumes == resumes &&
			       arch_time_now() < give_up) {
				arch_wait_brief(10);
			}
		}
		out.returned = __atomic_load_n(&r->susp_returns, __ATOMIC_ACQUIRE) != returns;
		out.resumed = __atomic_load_n(&r->resumes, __ATOMIC_ACQUIRE) != resumes;
		out.woke = out.suspended && (out.returned || out.resumed);
		out.ret = r->susp_ret;
	}
	out.stopped = wait_status(s->hartid, SBI_HSM_STOPPED, 1000) == SBI_HSM_STOPPED;
	__atomic_store_n(&r->mode, HSM_MODE_STOP, __ATOMIC_RELEASE);
	return out;
}

void check_suspend(const struct hsm_run *run)
{
	uint64_t fw_base = arch_firmware_base();
	(void)run;
	struct spare *s = &spares[0];
	struct hsm_record *r = s->rec;
	const char *sec = "SBI v2.0 §9.4";

	struct suspend_result ret = suspend_once(s, SBI_HSM_SUSPEND_RETENTIVE, 0);
	bool ok_ret = ret.woke && ret.returned && ret.ret == SBI_SUCCESS;
	struct suspend_result non = ret.stopped ? suspend_once(s, SBI_HSM_SUSPEND_NON_RETENTIVE,
							       (unsigned long)hsmtest_resume)
						: (struct suspend_result){ 0 };
	unsigned long opaque = r->susp_opaque;
	verdict(ret.woke && non.woke ? "PASS" : "DEVIATION", "hart_suspend.wakes_on_ipi", "SBI v2.0 §9.4, §7.1",
		"expected a hart SUSPENDED by the default retentive and non-retentive types to wake on an "
		"IPI, got %s and %s", !ret.suspended ? "not SUSPENDED" : ret.woke ? "woke" : "still asleep",
		!non.suspended ? "not SUSPENDED" : non.woke ? "woke" : "still asleep");
	if (!ret.woke) {
		verdict("SKIP", "hart_suspend.retentive_return", sec, "expected a hart that woke, got none");
	} else {
		verdict(ok_ret ? "PASS" : "DEVIATION", "hart_suspend.retentive_return", sec,
			"expected hart_suspend(0) to return SBI_SUCCESS after the wake, got %s",
			ret.returned ? sbi_err_name(ret.ret) : "a resume elsewhere");
	}
	if (!non.woke) {
		verdict("SKIP", "hart_suspend.non_retentive_resume", sec, "expected a hart that woke, got none");
	} else {
		bool ok = non.resumed && r->seen_hartid == s->hartid && r->seen_opaque == opaque &&
			  r->satp == 0 && !(r->sstatus & SSTATUS_SIE_BIT);
		verdict(ok ? "PASS" : "DEVIATION", "hart_suspend.non_retentive_resume", sec,
			"expected a resume at the resume address with a0 = %lu, a1 = the opaque, satp = 0, "
			"SIE = 0, got %s a0 = %lu, a1 %s, satp = %#lx, SIE = %lu", s->hartid,
			non.resumed ? "a resume with" : "a return with", r->seen_hartid,
			r->seen_opaque == opaque ? "= the opaque" : "another", r->satp,
			(r->sstatus & SSTATUS_SIE_BIT) >> 1);
	}
	if (!non.stopped) {
		/* The hart never came back: the checks after need it. */
		const char *rest[] = { "hart_suspend.reserved_type", "hart_suspend.platform_type",
				       "hart_suspend.bad_resume_address" };
		for (unsigned int i = 0; i < ARRAY_SIZE(rest); i++) {
			verdict("SKIP", rest[i], sec, "expected a stopped hart to test with, got hart %lu "
				"left %s by the checks before", s->hartid,
				status_name(sbi_hart_get_status(s->hartid)));
		}
		return;
	}
	struct suspend_result res = suspend_once(s, SBI_HSM_SUSPEND_RESERVED, 0);
	verdict(res.returned && res.ret == SBI_ERR_INVALID_PARAM ? "PASS" : "DEVIATION",
		"hart_suspend.reserved_type", sec, "expected SBI_ERR_INVALID_PARAM for type %#lx, got %s",
		SBI_HSM_SUSPEND_RESERVED, res.returned ? sbi_err_name(res.ret) : res.suspended ? "a suspend" : "nothing");
	struct suspend_result plat = suspend_once(s, SBI_HSM_SUSPEND_PLATFORM, 0);
	const char *v = plat.returned && plat.ret == SBI_ERR_NOT_SUPPORTED ? "UNSUPPORTED"
			: plat.woke && plat.ret == SBI_SUCCESS ? "PASS" : "DEVIATION";
	verdict(v, "hart_suspend.platform_type", sec,
		"expected SBI_ERR_NOT_SUPPORTED, or a suspend that an IPI ends, for type %#lx, got %s",
		SBI_HSM_SUSPEND_PLATFORM, plat.returned ? sbi_err_name(plat.ret) : plat.suspended ? "a suspend" : "nothing");
	struct suspend_result bad = suspend_once(s, SBI_HSM_SUSPEND_NON_RETENTIVE, (unsigned long)fw_base);
	verdict(bad.returned && bad.ret == SBI_ERR_INVALID_ADDRESS ? "PASS" : "DEVIATION",
		"hart_suspend.bad_resume_address", sec,
		"expected SBI_ERR_INVALID_ADDRESS for a non-retentive suspend resuming at %#llx, got %s",
		(unsigned long long)fw_base,
		bad.returned ? sbi_err_name(bad.ret) : bad.suspended ? "a suspend" : "nothing");
}

