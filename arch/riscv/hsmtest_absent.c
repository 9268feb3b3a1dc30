/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * hsmtest's checks are linked into hartplug-hsmtest.elf only (docs/hsmtest.md). The
 * image without them (hartplug.elf, and only it: meson.build links this file into it
 * alone) answers `hsm` by saying where they are, not "command not found".
 */
#include "command.h"
#include "log.h"
#include "err.h"

static int cmd_hsm_elsewhere(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	console_printf("hsm: the HSM checks are in hartplug-hsmtest.elf: run tools/hsmtest, or boot "
		       "that image with tools/run --hsmtest\n");
	return -ENOENT;
}
SHELL_COMMAND("hsm", "hsm test [quick] [seed N] [json] [icount] (hartplug-hsmtest.elf only)",
	      cmd_hsm_elsewhere);
