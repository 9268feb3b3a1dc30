/* SPDX-License-Identifier: BSD-2-Clause */
/* Applies the boot parameters that subsystems registered with BOOT_PARAM (param.h). */
#include "param.h"
#include "log.h"

extern const struct boot_param __boot_params_start[], __boot_params_end[];

void boot_params_apply(struct cmdline *cl, bool late)
{
	char err[160];

	for (const struct boot_param *p = __boot_params_start; p < __boot_params_end; p++) {
		struct bootparam *bp = cmdline_find(cl, p->name);   /* marks it known */
		if (!bp || p->late != late) {
			continue;
		}
		err[0] = 0;
		if (p->set(cl, bp, err, sizeof(err))) {
			pr_err("bad boot parameter %s: ignored\n", err[0] ? err : p->name);
		}
	}
	if (late) {
		return;
	}
	for (unsigned int i = 0; i < cl->count; i++) {
		if (!cl->params[i].used) {
			pr_warn("Unknown kernel command line parameter \"%s\"\n", cl->params[i].name);
		}
	}
}
