/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * User-space hotplug states (docs/ipc.md). A process holding CPU control registers a
 * state in the ONLINE section's dynamic range, with an endpoint it serves. The state's
 * startup and teardown for CPU N are an IPC call from cpuhp/N, where Linux runs ONLINE
 * callbacks: the server's reply is the callback's return value, and no reply within
 * the state's timeout fails the step with -ETIMEDOUT. The rest is the engine's, as for
 * a kernel state: the order, the rollback, fault injection, the teardown log.
 *
 * A server that ends has its states and instances removed without calls. They are
 * marked dead first, before its handles close, so that a step running meanwhile skips
 * them rather than fail on an endpoint nobody serves any more; they are removed once
 * its handles are closed, under the maps lock, when no step can be calling them.
 *
 * Lock order: user_states_lock → cpu_add_remove_lock. The callbacks take neither: they
 * run with the maps lock held by the operation, and a state lives until it is removed
 * under that lock.
 */
#include <string.h>
#include <stdio.h>
#include "cpuhp.h"
#include "user_states.h"
#include "ipc.h"
#include "process.h"
#include "mutex.h"
#include "list.h"
#include "alloc.h"
#include "atomic.h"
#include "log.h"
#include "err.h"
#include "internal.h"

#define NAME_LEN (HPSTATE_NAME_MAX + 16)

struct user_state {
	struct list_head node;          /* on user_states */
	int state;
	bool multi;
	struct process *owner;          /* not referenced: we are told before it is freed */
	int owner_pid;
	struct endpoint *ep;            /* a plain state's server (referenced); multi: NULL */
	unsigned int timeout_ms;
	int dead;                       /* the owner is ending: no more calls (atomic) */
	struct list_head instances;     /* a multi state's user_instance list */
	long next_id;
	char name[NAME_LEN];            /* "user/NAME:online", as hotplug/states lists it */
	char startup_name[NAME_LEN], teardown_name[NAME_LEN];   /* for the trace lines */
};

struct user_instance {
	struct cpuhp_instance inst;
	struct list_head node;          /* on its state's instances */
	struct user_state *us;
	struct process *owner;
	int owner_pid;
	struct endpoint *ep;            /* referenced */
	long id;                        /* w3 of the calls */
	int dead;
};

static struct mutex user_states_lock = MUTEX_INIT(user_states_lock);
static struct list_head user_states = LIST_HEAD_INIT(user_states);

/* Counts what @p owns, so that a process owning nothing ends without our lock. */
static void owned(struct process *p, int n)
{
	__atomic_add_fetch(&p->hpstates, n, __ATOMIC_ACQ_REL);
}

/*
 * A server whose process is ending (a kill, a fault, an exit in another thread) is
 * called no more, as if its state were already removed: it may never answer, and
 * while one of its threads is inside a registration that calls it (undoing the
 * startups after one failed) its handles, and so its endpoint, stay open until that
 * registration returns.
 */
static bool owner_ending(const struct process *owner)
{
	return READ_ONCE(owner->exiting);
}

/* One call to the server: its answer, or why there is none. */
static int call_server(struct user_state *us, struct endpoint *ep, long id, const int *dead,
		       const struct process *owner, int owner_pid, unsigned int cpu, bool up)
{
	const char *what = up ? "startup" : "teardown";

	if (load_acquire(dead) || owner_ending(owner)) {
		return 0;
	}
	unsigned long msg[IPC_MSG_MAX] = { up ? HPSTATE_STARTUP : HPSTATE_TEARDOWN, cpu,
					   (unsigned long)us->state, (unsigned long)id };
	unsigned int len = 4;
	long err = ipc_send(ep, HPSTATE_BADGE, msg, &len, true, us->timeout_ms);
	if (load_acquire(dead) || owner_ending(owner)) {
		return 0;                     /* it ended meanwhile: as if already removed */
	}
	if (err == -ETIMEDOUT) {
		pr_err("cpuhp: %s: CPU%u %s: no reply from pid %d within %u ms (ETIMEDOUT)\n",
		       us->name, cpu, what, owner_pid, us->timeout_ms);
		return -ETIMEDOUT;
	}
	if (err) {
		pr_err("cpuhp: %s: CPU%u %s: the call to pid %d failed (%s)\n", us->name, cpu, what,
		       owner_pid, err_name((int)err));
		return (int)err;
	}
	long ret = len ? (long)msg[0] : -EINVAL;
	if (ret > 0 || ret < -4095) {
		pr_err("cpuhp: %s: CPU%u %s: pid %d replied %ld, neither 0 nor -errno (EINVAL)\n",
		       us->name, cpu, what, owner_pid, ret);
		return -EINVAL;
	}
	return (int)ret;
}

static int plain_call(unsigned int cpu, void *data, bool up)
{
	struct user_state *us = data;
	return call_server(us, us->ep, 0, &us->dead, us->owner, us->owner_pid, cpu, up);
}

static int plain_startup(unsigned int cpu, int state, void *data)
{
	struct user_state *us = data;
	us->state = state;                /* known before the first call: set_step comes first */
	return plain_call(cpu, data, true);
}

static int plain_teardown(unsigned int cpu, int state, void *data)
{
	(void)state;
	return plain_call(cpu, data, false);
}

static int instance_call(unsigned int cpu, struct cpuhp_instance *inst, bool up)
{
	struct user_instance *ui = container_of(inst, struct user_instance, inst);
	if (load_acquire(&ui->us->dead)) {
		return 0;
	}
	return call_server(ui->us, ui->ep, ui->id, &ui->dead, ui->owner, ui->owner_pid, cpu, up);
}

static int instance_startup(unsigned int cpu, struct cpuhp_instance *inst)
{
	return instance_call(cpu, inst, true);
}

static int instance_teardown(unsigned int cpu, struct cpuhp_instance *inst)
{
	return instance_call(cpu, inst, false);
}

/* 1 to HPSTATE_NAME_MAX of [a-z0-9_-]: it must read well inside "user/NAME:online". */
static bool valid_name(const char *name)
{
	size_t n = strlen(name);
	if (n == 0 || n > HPSTATE_NAME_MAX) {
		return false;
	}
	for (size_t i = 0; i < n; i++) {
		char c = name[i];
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-')) {
			return false;
		}
	}
	return true;
}

static struct user_state *find_state(int state)
{
	struct list_head *pos;
	list_for_each(pos, &user_states) {
		struct user_state *us = list_entry(pos, struct user_state, node);
		if (us->state == state) {
			return us;
		}
	}
	return NULL;
}

static struct user_state *find_name(const char *full)
{
	struct list_head *pos;
	list_for_each(pos, &user_states) {
		struct user_state *us = list_entry(pos, struct user_state, node);
		if (strcmp(us->name, full) == 0) {
			return us;
		}
	}
	return NULL;
}

static void free_state(struct user_state *us)
{
	if (us->ep) {
		endpoint_put(us->ep, 0);
	}
	kfree(us);
}

static void free_instance(struct user_instance *ui)
{
	endpoint_put(ui->ep, 0);
	kfree(ui);
}

int user_state_add(struct process *p, const char *name, struct endpoint *ep, unsigned int flags,
		   unsigned int timeout_ms)
{
	bool multi = flags & HPSTATE_MULTI;

	if (!valid_name(name) || (flags & ~(unsigned int)(HPSTATE_MULTI | HPSTATE_NOCALLS)) ||
	    timeout_ms > HPSTATE_TIMEOUT_MAX_MS || multi == (ep != NULL)) {
		return -EINVAL;
	}
	struct user_state *us = kzalloc(sizeof(*us));
	if (!us) {
		return -ENOMEM;
	}
	us->multi = multi;
	us->owner = p;
	us->owner_pid = p->pid;
	us->timeout_ms = timeout_ms ? timeout_ms : HPSTATE_TIMEOUT_MS;
	us->state = CPUHP_INVALID;
	list_init(&us->instances);
	snprintf(us->name, sizeof(us->name), "user/%s:online", name);
	snprintf(us->startup_name, sizeof(us->startup_name), "user_%s_startup", name);
	snprintf(us->teardown_name, sizeof(us->teardown_name), "user_%s_teardown", name);
	if (ep) {
		endpoint_get(ep, 0);
		us->ep = ep;
	}

	mutex_lock(&user_states_lock);
	int ret = find_name(us->name) ? -EEXIST : 0;
	if (!ret && multi) {
		ret = __cpuhp_setup_state_multi(CPUHP_AP_ONLINE_DYN, us->name, instance_startup,
						us->startup_name, instance_teardown,
						us->teardown_name);
	} else if (!ret) {
		ret = cpuhp_setup_state_data(CPUHP_AP_ONLINE_DYN, us->name, plain_startup,
					     us->startup_name, plain_teardown, us->teardown_name, us,
					     !(flags & HPSTATE_NOCALLS));
	}
	if (ret >= 0) {
		us->state = ret;
		list_add_tail(&us->node, &user_states);
		owned(p, 1);
		pr_info("cpuhp: state %d %s registered by pid %d (%s)\n", ret, us->name, p->pid,
			p->name);
	}
	mutex_unlock(&user_states_lock);
	if (ret < 0) {
		free_state(us);
	}
	return ret;
}

/*
 * A state number that names no state of a process: -EPERM when it is a state all the
 * same (the kernel's: nobody removes those through these calls), -ENOENT when it names
 * nothing. The one rule of docs/syscalls.md: a state that is not yours is EPERM.
 */
static int not_a_user_state(int state)
{
	return state >= 0 && state < CPUHP_STATE_COUNT && cpuhp_steps[state].name ? -EPERM : -ENOENT;
}

int user_state_remove(struct process *p, int state, unsigned int flags)
{
	if (flags & ~(unsigned int)HPSTATE_NOCALLS) {
		return -EINVAL;
	}
	mutex_lock(&user_states_lock);
	struct user_state *us = find_state(state);
	int ret = !us ? not_a_user_state(state) : us->owner != p ? -EPERM : 0;
	if (!ret && us->multi && !list_empty(&us->instances)) {
		ret = -EBUSY;                  /* its instances go first, as in the kernel */
	}
	if (!ret) {
		ret = flags & HPSTATE_NOCALLS ? cpuhp_remove_state_nocalls(state)
					      : cpuhp_remove_state(state);
	}
	if (!ret) {
		list_del(&us->node);
		owned(p, -1);
	}
	mutex_unlock(&user_states_lock);
	if (!ret) {
		free_state(us);
	}
	return ret;
}

int user_state_instance_add(struct process *p, int state, struct endpoint *ep, unsigned int flags)
{
	if (flags & ~(unsigned int)HPSTATE_NOCALLS) {
		return -EINVAL;
	}
	struct user_instance *ui = kzalloc(sizeof(*ui));
	if (!ui) {
		return -ENOMEM;
	}
	endpoint_get(ep, 0);
	ui->ep = ep;
	ui->owner = p;
	ui->owner_pid = p->pid;

	mutex_lock(&user_states_lock);
	struct user_state *us = find_state(state);
	int ret = !us ? not_a_user_state(state) : us->dead ? -ENOENT : !us->multi ? -EINVAL : 0;
	if (!ret) {
		ui->us = us;
		ui->id = ++us->next_id;
		ret = flags & HPSTATE_NOCALLS ? cpuhp_state_add_instance_nocalls(state, &ui->inst)
					      : cpuhp_state_add_instance(state, &ui->inst);
	}
	long id = ui->id;
	if (!ret) {
		list_add_tail(&ui->node, &us->instances);
		owned(p, 1);
	}
	mutex_unlock(&user_states_lock);
	if (ret) {
		free_instance(ui);
		return ret;
	}
	return (int)id;
}

static struct user_instance *find_instance(struct user_state *us, long id)
{
	struct list_head *pos;
	list_for_each(pos, &us->instances) {
		struct user_instance *ui = list_entry(pos, struct user_instance, node);
		if (ui->id == id) {
			return ui;
		}
	}
	return NULL;
}

int user_state_instance_remove(struct process *p, int state, long id, unsigned int flags)
{
	if (flags & ~(unsigned int)HPSTATE_NOCALLS) {
		return -EINVAL;
	}
	mutex_lock(&user_states_lock);
	struct user_state *us = find_state(state);
	struct user_instance *ui = us && us->multi ? find_instance(us, id) : NULL;
	int ret = !us ? not_a_user_state(state) : !ui ? -ENOENT : ui->owner != p ? -EPERM : 0;
	if (!ret) {
		ret = flags & HPSTATE_NOCALLS ? cpuhp_state_remove_instance_nocalls(state, &ui->inst)
					      : cpuhp_state_remove_instance(state, &ui->inst);
	}
	if (!ret) {
		list_del(&ui->node);
		owned(p, -1);
	}
	mutex_unlock(&user_states_lock);
	if (!ret) {
		free_instance(ui);
	}
	return ret;
}

void user_states_owner_ending(struct process *p)
{
	struct list_head *pos, *ipos;

	/* Most processes own nothing: they must not wait here for a registration. */
	if (!load_acquire(&p->hpstates)) {
		return;
	}
	mutex_lock(&user_states_lock);
	list_for_each(pos, &user_states) {
		struct user_state *us = list_entry(pos, struct user_state, node);
		if (us->owner == p) {
			store_release(&us->dead, 1);
		}
		list_for_each(ipos, &us->instances) {
			struct user_instance *ui = list_entry(ipos, struct user_instance, node);
			if (ui->owner == p || us->owner == p) {
				store_release(&ui->dead, 1);
			}
		}
	}
	mutex_unlock(&user_states_lock);
}

void user_states_owner_ended(struct process *p)
{
	struct list_head *pos, *tmp, *ipos, *itmp;

	if (!load_acquire(&p->hpstates)) {
		return;
	}
	mutex_lock(&user_states_lock);
	list_for_each_safe(pos, tmp, &user_states) {
		struct user_state *us = list_entry(pos, struct user_state, node);
		list_for_each_safe(ipos, itmp, &us->instances) {
			struct user_instance *ui = list_entry(ipos, struct user_instance, node);
			if (!ui->dead && us->owner != p) {
				continue;
			}
			cpuhp_state_remove_instance_nocalls(us->state, &ui->inst);
			list_del(&ui->node);
			owned(ui->owner, -1);        /* alive: its own end would have taken it off */
			if (us->owner != p) {
				pr_info("cpuhp: %s (state %d): instance %ld removed without calls: its server, pid %d (%s), ended\n",
					us->name, us->state, ui->id, p->pid, p->name);
			}
			free_instance(ui);
		}
		if (us->owner != p) {
			continue;
		}
		cpuhp_remove_state_nocalls(us->state);
		list_del(&us->node);
		owned(p, -1);
		pr_info("cpuhp: %s (state %d) removed without calls: its server, pid %d (%s), ended\n",
			us->name, us->state, p->pid, p->name);
		free_state(us);
	}
	mutex_unlock(&user_states_lock);
}
