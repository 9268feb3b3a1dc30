/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef HP_UAPI_LIMITS_H
#define HP_UAPI_LIMITS_H

#include "config.h"

/*
 * A process's limits, shared with user programs. A thread bound to every CPU and a
 * handle for each of them (percpud: one worker and one notification per CPU) fit,
 * with room for the rest of the program.
 */
#define PROCESS_MAX_THREADS (CONFIG_NR_CPUS + 16)
#define PROCESS_MAX_HANDLES (CONFIG_NR_CPUS + 32)

#endif
