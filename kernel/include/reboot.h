/* SPDX-License-Identifier: BSD-2-Clause */
/* Poweroff and reboot. */
#ifndef HP_REBOOT_H
#define HP_REBOOT_H

#include "kernel.h"

__noreturn void kernel_poweroff(void);
__noreturn void kernel_restart(void);

#endif
