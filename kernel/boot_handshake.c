/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Owner of the boot handshake (boot_handshake.h): every change of a CPU's boot_state
 * goes through move(), a compare-and-swap checked against the table of legal moves.
 * A move that loses a race (the other side moved first) is an answer, not an error;
 * a move the table does not allow is a bug and is reported loudly, as OpenSBI's HSM
 * does for its hart states.
 */
#include "boot_handshake.h"
#include "percpu.h"
#include "arch.h"
#include "log.h"
#include "atomic.h"
#include "err.h"

static const char *const names[CPU_BOOT_STATE_COUNT] = {
	[CPU_BOOT_NONE] = "NONE",
	[CPU_BOOT_HELD] = "HELD",
	[CPU_BOOT_STARTING] = "STARTING",
	[CPU_BOOT_CLAIMED_HELD] = "CLAIMED_HELD",
	[CPU_BOOT_CLAIMED] = "CLAIMED",
	[CPU_BOOT_ARRIVED] = "ARRIVED",
	[CPU_BOOT_QUIESCE] = "QUIESCE",
	[CPU_BOOT_ABANDONED] = "ABANDONED",
};

/* legal[from] has bit @to set when from -> to is a move of the diagram. */
static const uint16_t legal[CPU_BOOT_STATE_COUNT] = {
	[CPU_BOOT_NONE] = 1u << CPU_BOOT_HELD | 1u << CPU_BOOT_STARTING,
	[CPU_BOOT_HELD] = 1u << CPU_BOOT_CLAIMED_HELD | 1u << CPU_BOOT_STARTING |
			  1u << CPU_BOOT_QUIESCE | 1u << CPU_BOOT_NONE,
	[CPU_BOOT_STARTING] = 1u << CPU_BOOT_CLAIMED | 1u << CPU_BOOT_ABANDONED |
			      1u << CPU_BOOT_NONE,
	[CPU_BOOT_CLAIMED_HELD] = 1u << CPU_BOOT_CLAIMED | 1u << CPU_BOOT_QUIESCE,
	[CPU_BOOT_CLAIMED] = 1u << CPU_BOOT_ARRIVED,
	[CPU_BOOT_ARRIVED] = 1u << CPU_BOOT_NONE,
	[CPU_BOOT_QUIESCE] = 1u << CPU_BOOT_NONE,
	[CPU_BOOT_ABANDONED] = 0,
};

_Static_assert(CPU_BOOT_STATE_COUNT <= 16, "legal[] holds one bit per state");

const char *cpu_boot_state_name(int state)
{
	return state >= 0 && state < CPU_BOOT_STATE_COUNT ? names[state] : "invalid";
}

/*
 * The one place boot_state changes. True if it was @from and is now @to; false if the
 * other side moved it first (or the move is illegal, which is also reported).
 */
static bool move(struct cpu *c, int from, int to, const char *caller)
{
	if (from < 0 || from >= CPU_BOOT_STATE_COUNT || to < 0 || to >= CPU_BOOT_STATE_COUNT ||
	    !(legal[from] & (1u << to))) {
		pr_err("BUG: CPU%u boot handshake: illegal transition %s -> %s (by %s; now %s)\n",
		       c->id, cpu_boot_state_name(from), cpu_boot_state_name(to), caller,
		       cpu_boot_state_name(load_acquire(&c->boot_state)));
		return false;
	}
	int expected = from;
	return atomic_cmpxchg(&c->boot_state, &expected, to);
}

/* A move that cannot lose a race: failing it means the protocol broke. */
static void must_move(struct cpu *c, int from, int to, const char *caller)
{
	int now = load_acquire(&c->boot_state);
	if (!move(c, from, to, caller) && now != from) {
		pr_err("BUG: CPU%u boot handshake: %s -> %s by %s found %s\n", c->id,
		       cpu_boot_state_name(from), cpu_boot_state_name(to), caller,
		       cpu_boot_state_name(now));
	}
}

/* NONE -> @to, then the firmware's hart_start; back to NONE if the firmware refuses. */
static int start_into(unsigned int cpu, int to, long *fw, const char *caller)
{
	struct cpu *c = &cpus[cpu];

	if (!move(c, CPU_BOOT_NONE, to, caller)) {
		pr_err("CPU%u: cannot start: boot handshake in state %s\n", cpu,
		       cpu_boot_state_name(load_acquire(&c->boot_state)));
		return -EBUSY;
	}
	int err = arch_cpu_start(cpu, fw);
	if (err) {
		must_move(c, to, CPU_BOOT_NONE, caller);
	}
	return err;
}

int cpu_boot_prekick(unsigned int cpu, long *fw)
{
	return start_into(cpu, CPU_BOOT_HELD, fw, __func__);
}

bool cpu_boot_release(unsigned int cpu)
{
	struct cpu *c = &cpus[cpu];

	/* Not in the kernel yet: it will find STARTING and go on without halting. */
	if (move(c, CPU_BOOT_HELD, CPU_BOOT_STARTING, __func__)) {
		return true;
	}
	if (load_acquire(&c->boot_state) == CPU_BOOT_CLAIMED_HELD) {
		must_move(c, CPU_BOOT_CLAIMED_HELD, CPU_BOOT_CLAIMED, __func__);
		/*
		 * It runs kernel code, so its hart is STARTED and may take the IPI. Were it
		 * lost, its bounded halt (cpu_boot_wait_release) looks again within 10 ms.
		 */
		arch_send_ipi(cpu);
		return true;
	}
	return false;
}

int cpu_boot_start(unsigned int cpu, long *fw)
{
	return start_into(cpu, CPU_BOOT_STARTING, fw, __func__);
}

bool cpu_boot_abandon(unsigned int cpu)
{
	return move(&cpus[cpu], CPU_BOOT_STARTING, CPU_BOOT_ABANDONED, __func__);
}

bool cpu_boot_quiesce(unsigned int cpu)
{
	struct cpu *c = &cpus[cpu];

	/*
	 * Not in the kernel yet: its claim will fail and it stops by itself. No IPI: the
	 * hart may still be START_PENDING, and newer firmware refuses an IPI to it.
	 */
	if (move(c, CPU_BOOT_HELD, CPU_BOOT_QUIESCE, __func__)) {
		return true;
	}
	if (move(c, CPU_BOOT_CLAIMED_HELD, CPU_BOOT_QUIESCE, __func__)) {
		arch_send_ipi(cpu);        /* halted in the kernel, so STARTED */
		return true;
	}
	return false;
}

void cpu_boot_finish(unsigned int cpu)
{
	struct cpu *c = &cpus[cpu];
	int now = load_acquire(&c->boot_state);

	if (now == CPU_BOOT_NONE && cpu == 0) {
		return;     /* the boot CPU's first take-down: it never needed a handshake */
	}
	must_move(c, now == CPU_BOOT_QUIESCE ? CPU_BOOT_QUIESCE : CPU_BOOT_ARRIVED, CPU_BOOT_NONE,
		  __func__);
}

bool cpu_boot_claim(struct cpu *c)
{
	/*
	 * A release may turn HELD into STARTING between our look and our move: look
	 * again then, until the claim lands or the state says nobody waits for us.
	 */
	for (;;) {
		int now = load_acquire(&c->boot_state);
		if (now == CPU_BOOT_STARTING && move(c, now, CPU_BOOT_CLAIMED, __func__)) {
			return true;
		}
		if (now == CPU_BOOT_HELD && move(c, now, CPU_BOOT_CLAIMED_HELD, __func__)) {
			return true;
		}
		if (now != CPU_BOOT_STARTING && now != CPU_BOOT_HELD) {
			return false;
		}
	}
}

bool cpu_boot_wait_release(struct cpu *c)
{
	/*
	 * The release comes with an IPI; the long timeout only guards against a lost one.
	 * (Polling often would not do: under -icount dozens of waiting harts polling would
	 * slow every other CPU's bring-up.)
	 */
	while (load_acquire(&c->boot_state) == CPU_BOOT_CLAIMED_HELD) {
		arch_wait_brief(log_timebase() / 100);
	}
	return load_acquire(&c->boot_state) == CPU_BOOT_CLAIMED;
}

void cpu_boot_arrived(struct cpu *c)
{
	must_move(c, CPU_BOOT_CLAIMED, CPU_BOOT_ARRIVED, __func__);
}

bool cpu_boot_selftest_illegal(unsigned int cpu)
{
	struct cpu *c = &cpus[cpu];
	int before = load_acquire(&c->boot_state);
	/* ARRIVED or NONE -> CLAIMED is never legal: only a claim of a started CPU is. */
	int from = before == CPU_BOOT_ARRIVED ? CPU_BOOT_ARRIVED : CPU_BOOT_NONE;
	bool refused = !move(c, from, CPU_BOOT_CLAIMED, __func__);
	return refused && load_acquire(&c->boot_state) == before;
}
