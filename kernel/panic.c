/* SPDX-License-Identifier: BSD-2-Clause */
/* panic(): say why, stop the other CPUs, and leave QEMU with a failure status. */
#include <stdarg.h>
#include <stdio.h>
#include "kernel.h"
#include "log.h"
#include "smp.h"
#include "arch.h"

void panic(const char *fmt, ...)
{
	static int panicking;
	char msg[160];
	va_list ap;

	arch_irq_disable();
	if (__atomic_exchange_n(&panicking, 1, __ATOMIC_SEQ_CST)) {
		arch_cpu_halt();      /* another CPU is already reporting */
	}
	log_panic_mode();
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	printk(LOG_EMERG, "Kernel panic - not syncing: %s\n", msg);
	smp_stop_others();
	printk(LOG_EMERG, "---[ end Kernel panic - not syncing: %s ]---\n", msg);
	arch_fail_exit(1);
}
