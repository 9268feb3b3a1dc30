/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Console input for user space: the read system call, and Ctrl-C for the foreground.
 *
 * The console has no input interrupt here (SBI getchar), so one kernel thread polls it,
 * but only while input matters: a reader is waiting, or a foreground process is set
 * (the interactive shell sets one; a scripted run does not). Otherwise it sleeps on an
 * event and costs nothing, so scripted runs and benchmarks see no polling. Bytes go into
 * a small ring the readers drain; Ctrl-C is not queued while there is a foreground: it
 * ends the foreground program (status 130, as SIGINT), or, when the foreground is the
 * process running a kernel command (the shell names itself), stops that command.
 */
#include "tty.h"
#include "process.h"
#include "sched.h"
#include "spinlock.h"
#include "arch.h"
#include "atomic.h"
#include "log.h"
#include "err.h"

#define TTY_RING 256
#define TTY_POLL_MS 10
#define CTRL_C 0x03

static spinlock_t tty_lock;
static char ring[TTY_RING];
static unsigned int head, tail;        /* under tty_lock; head == tail: empty */
static unsigned int readers;           /* blocked in tty_read */
static int fg_pid;                     /* the foreground program, 0: none */
static bool fg_commands;               /* fg_pid named itself: only its commands stop */
static struct task *fg_command;        /* a task running a kernel command, or NULL */
static struct wait_queue input_wq;     /* readers: a byte arrived */
static struct wait_queue wanted_wq;    /* the poller: input matters again */

static bool wanted_locked(void)
{
	return readers > 0 || fg_pid > 0;
}

static bool wanted(void)
{
	unsigned long flags = spin_lock_irqsave(&tty_lock);
	bool w = wanted_locked();
	spin_unlock_irqrestore(&tty_lock, flags);
	return w;
}

/* One byte from the console; false when Ctrl-C went to the foreground instead. */
static bool interrupt(void)
{
	unsigned long flags = spin_lock_irqsave(&tty_lock);
	int pid = fg_commands ? 0 : fg_pid;
	struct task *cmd = fg_commands && fg_command && fg_command->tgid == fg_pid ? fg_command : NULL;
	if (cmd) {
		WRITE_ONCE(cmd->interrupted, true);
		task_get(cmd);
	}
	spin_unlock_irqrestore(&tty_lock, flags);
	if (cmd) {
		sched_try_wake(cmd, TASK_SLEEPING);
		task_put(cmd);
		return true;
	}
	return pid > 0 && process_kill_pid(pid, 130) == 0;
}

static void put_byte(char c)
{
	unsigned long flags = spin_lock_irqsave(&tty_lock);
	if ((head + 1) % TTY_RING != tail) {
		ring[head] = c;
		head = (head + 1) % TTY_RING;
	}
	/* A full ring drops the byte: typing ahead of a busy shell by 255 bytes. */
	spin_unlock_irqrestore(&tty_lock, flags);
	wake_up_all(&input_wq);
}

/*
 * A Ctrl-C typed ahead, while the shell was busy starting the command, is meant for
 * that command: takes it out of the ring (under tty_lock) if there is one.
 */
static bool take_pending_interrupt(void)
{
	for (unsigned int i = tail; i != head; i = (i + 1) % TTY_RING) {
		if (ring[i] == CTRL_C) {
			for (unsigned int j = i; (j + 1) % TTY_RING != head; j = (j + 1) % TTY_RING) {
				ring[j] = ring[(j + 1) % TTY_RING];
			}
			head = (head + TTY_RING - 1) % TTY_RING;
			return true;
		}
	}
	return false;
}

static void tty_poller(void *arg)
{
	(void)arg;
	for (;;) {
		wait_event(&wanted_wq, wanted());
		int c;
		while ((c = arch_console_getc()) >= 0) {
			if (c != CTRL_C || !interrupt()) {
				put_byte((char)c);
			}
		}
		msleep(TTY_POLL_MS);
	}
}

static void want_changed(void)
{
	wake_up_all(&wanted_wq);
}

long tty_read(unsigned long ubuf, size_t len)
{
	char chunk[TTY_RING];
	size_t n = 0;
	struct task *t = current_task();

	if (len == 0) {
		return 0;
	}
	unsigned long flags = spin_lock_irqsave(&tty_lock);
	readers++;
	spin_unlock_irqrestore(&tty_lock, flags);
	want_changed();
	struct waiter w = { .queued = false };
	for (;;) {
		prepare_to_wait(&input_wq, &w);
		flags = spin_lock_irqsave(&tty_lock);
		while (head != tail && n < len && n < sizeof(chunk)) {
			chunk[n++] = ring[tail];
			tail = (tail + 1) % TTY_RING;
		}
		spin_unlock_irqrestore(&tty_lock, flags);
		if (n || READ_ONCE(t->killed)) {
			break;
		}
		schedule();
	}
	finish_wait(&input_wq, &w);
	flags = spin_lock_irqsave(&tty_lock);
	readers--;
	spin_unlock_irqrestore(&tty_lock, flags);
	if (!n) {
		return -EINTR;
	}
	int err = arch_copy_to_user(ubuf, chunk, n);
	return err ? err : (long)n;
}

int tty_set_foreground(int pid)
{
	unsigned long flags = spin_lock_irqsave(&tty_lock);
	fg_pid = pid;
	fg_commands = pid > 0 && pid == current_task()->tgid;
	bool pending = pid > 0 && !fg_commands && take_pending_interrupt();
	spin_unlock_irqrestore(&tty_lock, flags);
	want_changed();
	if (pending) {
		process_kill_pid(pid, 130);
	}
	return 0;
}

void tty_command_begin(void)
{
	struct task *t = current_task();
	unsigned long flags = spin_lock_irqsave(&tty_lock);
	fg_command = t;
	WRITE_ONCE(t->interrupted, fg_commands && fg_pid == t->tgid && take_pending_interrupt());
	spin_unlock_irqrestore(&tty_lock, flags);
}

void tty_command_end(void)
{
	unsigned long flags = spin_lock_irqsave(&tty_lock);
	fg_command = NULL;
	spin_unlock_irqrestore(&tty_lock, flags);
	WRITE_ONCE(current_task()->interrupted, false);
}

bool command_interrupted(void)
{
	return READ_ONCE(current_task()->interrupted);
}

void tty_process_ended(int pid)
{
	unsigned long flags = spin_lock_irqsave(&tty_lock);
	if (fg_pid == pid) {
		fg_pid = 0;
	}
	spin_unlock_irqrestore(&tty_lock, flags);
}

void tty_init(void)
{
	spin_lock_init(&tty_lock);
	wait_queue_init(&input_wq);
	wait_queue_init(&wanted_wq);
	struct task *t = kthread_create(tty_poller, NULL, "tty");
	if (!t) {
		panic("cannot create the console input thread");
	}
	wake_up_task(t);
}
