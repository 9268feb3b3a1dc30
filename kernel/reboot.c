/* SPDX-License-Identifier: BSD-2-Clause */
/* Poweroff and reboot: the other CPUs are stopped first (how depends on the build). */
#include "reboot.h"
#include "cpuhp.h"
#include "log.h"
#include "arch.h"
#include "param.h"

/* reboot_cpu= boot parameter; -1: the first online CPU. */
static int reboot_cpu = -1;

void kernel_poweroff(void)
{
	cpuhp_shutdown_prepare(reboot_cpu);
	pr_notice("reboot: Power down\n");
	arch_poweroff();
}

void kernel_restart(void)
{
	cpuhp_shutdown_prepare(reboot_cpu);
	pr_notice("reboot: Restarting system\n");
	arch_reboot();
}

static int param_reboot_cpu(struct cmdline *cl, struct bootparam *bp, char *err, size_t len)
{
	unsigned long v;
	int ret = cmdline_get_uint(cl, bp->name, 0, NR_CPUS - 1, &v, err, len);
	if (!ret) {
		reboot_cpu = (int)v;
	}
	return ret;
}
BOOT_PARAM("reboot_cpu", param_reboot_cpu);
