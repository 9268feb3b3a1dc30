/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The one difference between the two builds. Meson compiles exactly one of
 *
 *   takedown.c      (-Dhotplug=true)   the full take-down: CPUs go down at run time,
 *                                      a failed bring-up rolls back to OFFLINE;
 *   rollback_min.c  (-Dhotplug=false)  no take-down: a bring-up that fails after the
 *                                      CPU ran leaves it online but inactive, idle.
 *
 * Everything else in kernel/hotplug is common. Generic code asks the capability below
 * and refuses in one place (control.c) when it is false; a call to a take-down-only
 * function sits behind that test, so the compiler drops it and the minimal image
 * holds no take-down code at all (tests: qemu.boot.takedown_compiled_out).
 */
#ifndef HP_HOTPLUG_VARIANT_H
#define HP_HOTPLUG_VARIANT_H

#include "config.h"

/* Can this build take an online CPU down? (config.h: set by -Dhotplug.) */
#define CPUHP_CAN_TAKE_DOWN CONFIG_HOTPLUG

/* ---- provided by both variants ---- */

/* A bring-up of @cpu failed with @err at st->state; undo what this build can. */
void cpuhp_rollback_failed_up(unsigned int cpu, int prev_state, int err);
/* Reboot and poweroff: hotplug off for good, then the other CPUs stopped. */
void cpuhp_shutdown_prepare(int reboot_cpu);

/* ---- provided by takedown.c only; call only where CPUHP_CAN_TAKE_DOWN ---- */

/* Takes @cpu down to @target (cpu_add_remove_lock held); rolls forward on failure. */
int cpuhp_take_down(unsigned int cpu, int target);
/* CPUHP_TEARDOWN_CPU's teardown: stop_machine, the DYING steps, hart_stop, wait. */
int takedown_cpu(unsigned int cpu);
/* The idle task of a CPU that was taken down: reports dead and stops the hart. */
void cpuhp_idle_dead(void) __attribute__((noreturn));

#endif
