/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * User-space hotplug states (kernel/hotplug/user_states.c, docs/ipc.md): states of the
 * ONLINE section whose startup and teardown are IPC calls to a server's endpoint.
 * @p is the caller's process; it must hold CPU control (the system calls check).
 */
#ifndef HP_USER_STATES_H
#define HP_USER_STATES_H

#include "kernel.h"

struct process;
struct endpoint;

/*
 * A new state "user/NAME:online" served at @ep (NULL for HPSTATE_MULTI: each instance
 * names its own). Its startup runs for every online CPU first (unless HPSTATE_NOCALLS).
 * The state number; -EINVAL (a bad name, flags or timeout), -EEXIST (the name is
 * taken), -ENOSPC (no free slot), -ENOMEM, or a startup's error (nothing kept).
 */
int user_state_add(struct process *p, const char *name, struct endpoint *ep, unsigned int flags,
		   unsigned int timeout_ms);
/* Removes @p's @state, with its teardowns (unless HPSTATE_NOCALLS); -ENOENT, -EPERM, -EBUSY. */
int user_state_remove(struct process *p, int state, unsigned int flags);
/* An instance of multi-instance @state served at @ep: its id (> 0), or -errno. */
int user_state_instance_add(struct process *p, int state, struct endpoint *ep, unsigned int flags);
int user_state_instance_remove(struct process *p, int state, long id, unsigned int flags);

/*
 * @p is ending: its states and instances are skipped from now on (before its handles
 * close, so that a step in progress does not fail on them) ...
 */
void user_states_owner_ending(struct process *p);
/* ... and, once its handles are closed, removed without calls, one log line each. */
void user_states_owner_ended(struct process *p);

#endif
