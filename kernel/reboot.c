/* SPDX-License-Identifier: BSD-2-Clause */
/* Poweroff and reboot: the other CPUs are stopped first (how depends on the build). */
#include "reboot.h"
#include "cpuhp.h"
#include "log.h"
#include "arch.h"

int reboot_cpu = -1;

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
