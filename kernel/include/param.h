/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Boot parameters, declared beside the code that uses them (Linux's early_param and
 * __setup): BOOT_PARAM("name", handler) puts an entry in a linker section that kmain()
 * walks once the command line is read. A handler gets the whole command line (for
 * the typed getters of cmdline.h) and returns 0, or -EINVAL with a message in @err;
 * kmain() reports that in one line and the parameter is ignored.
 */
#ifndef HP_PARAM_H
#define HP_PARAM_H

#include "kernel.h"
#include "cmdline.h"

typedef int (*boot_param_fn)(struct cmdline *cl, struct bootparam *bp, char *err, size_t errlen);

struct boot_param {
	const char *name;
	boot_param_fn set;
	bool late;      /* applied once the CPUs are numbered and their hotplug state is set */
};

#define __BOOT_PARAM(pname, fn, is_late)                                                  \
	static const struct boot_param __boot_param_##fn                                   \
		__attribute__((used, section(".boot_params." #fn), aligned(8))) = {         \
		.name = pname, .set = fn, .late = is_late }

/* Applied right after the command line is parsed. */
#define BOOT_PARAM(name, fn) __BOOT_PARAM(name, fn, false)
/* Applied after the CPUs are numbered (cpuhp.fail=CPU:STATE needs them). */
#define BOOT_PARAM_LATE(name, fn) __BOOT_PARAM(name, fn, true)

/*
 * Applies every registered parameter present in @cl of the given phase; in the early
 * phase, also reports the parameters no one registered.
 */
void boot_params_apply(struct cmdline *cl, bool late);

#endif
