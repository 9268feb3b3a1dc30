# SPDX-License-Identifier: BSD-2-Clause
"""Things going wrong: exceptions, panics, sleeping in atomic context, IPI storms."""
import re

from harness import boot


def test_exception_exits_nonzero(config):
    """A load access fault prints CPU, task, cause, faulting address and registers, stops
    the other CPUs and makes QEMU exit non-zero."""
    b = boot(config, ["debug fault"], smp=4, poweroff=False, timeout=60)
    b.expect(b.rc not in (0, 124), f"exit status {b.rc}: must be a failure, not a hang")
    # The command runs in the shell's thread (task sh), on whichever CPU that is.
    oops = b.lines(r"Oops: load access fault \(scause 5\) on CPU\d+, task sh \(pid")
    b.expect(oops, "oops line")
    cpu = re.search(r"on CPU(\d+)", oops[0]).group(1)
    b.expect(b.lines(r"stval \(faulting address\) 0000000080000000"), "faulting address")
    b.expect(b.lines(rf"cpu{cpu}:\s+zero 0{{16}}\s+ra\s+[0-9a-f]{{16}}\s+sp\s+[0-9a-f]{{16}}"),
             "register dump")
    b.expect(b.lines(f"Kernel panic - not syncing: fatal exception on CPU{cpu}$"), "panic line")


def test_panic_exits_nonzero(config):
    """panic() from the shell: QEMU exits with a failure status."""
    b = boot(config, ["debug panic"], smp=2, poweroff=False, timeout=60)
    b.expect(b.rc not in (0, 124), f"exit status {b.rc}")
    b.expect(b.lines("Kernel panic - not syncing: requested from the shell"), "panic line")


def test_atomic_sleep_is_reported(config):
    """Sleeping with preemption disabled prints the BUG line with its context; the
    system goes on."""
    b = boot(config, ["debug atomic-sleep", "echo after"], smp=2)
    b.expect(b.rc == 0, f"exit status {b.rc}")
    b.expect(b.lines(r"BUG: scheduling while atomic: sh/\d+$"), "BUG line")
    b.expect(b.lines(r"context: pid \d+ preempt_count 1 irqs on irq_depth 0, called from"),
             "context line")
    b.expect(b.output_of("echo after").strip() == "after", "shell went on")


def storm(config, smp, rounds):
    b = boot(config, [f"ipistorm {rounds}", "meminfo"], smp=smp, timeout=180)
    b.expect_clean()
    out = b.output_of(f"ipistorm {rounds}")
    want = smp * (smp - 1) * rounds
    b.expect(f"{smp} CPUs x {rounds} rounds: sent {want}, handled {want}, lost 0, refused 0, "
             f"offline IPIs 0" in out, out)


def test_ipi_storm_4(config):
    """Every CPU calls every other CPU 500 times (waiting and not): all handled, none
    lost, none to offline CPUs."""
    storm(config, 4, 500)


def test_ipi_storm_8(config):
    """The same with 8 CPUs."""
    storm(config, 8, 200)


def test_call_to_offline_cpu(config):
    """A cross-call to a CPU that is not online is refused with ENXIO and, as in Linux,
    no warning (the sender skips it; "IPI on offline CPU" is for a CPU that runs calls
    while offline); one to an online CPU runs there."""
    b = boot(config, ["call 1", "call 3"], smp=4, append="maxcpus=2")
    b.expect(b.rc == 0, f"exit status {b.rc}")
    b.expect(b.output_of("call 1").strip() == "call: ran on CPU1", b.output_of("call 1"))
    b.expect(b.output_of("call 3").strip() == "call: 3: No such device or address (ENXIO)",
             b.output_of("call 3"))
    b.expect(not b.lines(r"IPI on offline CPU"), "no warning for a sender's refused call")


def test_log_lines_never_interleave(config):
    """Every CPU logs 50 lines from a task while sending 50 more to be logged from
    interrupt context on its neighbour: each line arrives whole, tagged with the CPU
    that printed it."""
    b = boot(config, ["debug logflood"], smp=4)
    b.expect_clean()
    flood = [l for l in b.out.splitlines() if "flood cpu" in l]
    b.expect(len(flood) == 4 * 50 * 2, f"{len(flood)} flood lines, expected 400")
    pat = re.compile(r"^\[\s*\d+\.\d{6}\] cpu(\d+): flood cpu(\d+) line (\d+) from (task|irq) end$")
    for line in flood:
        m = pat.match(line)
        b.expect(m is not None, f"garbled line: {line!r}")
        if m.group(4) == "task":
            b.expect(m.group(1) == m.group(2), f"task line printed by another CPU: {line!r}")


def test_lock_assertions_fire(config):
    """debug lockassert calls cpuhp_kick_ap() without cpu_add_remove_lock, asks the
    run-queue assertion without the run-queue lock and makes a cross-call preemptible:
    each prints its WARNING line naming the function; the calls themselves are harmless
    and the system goes on."""
    b = boot(config, ["debug lockassert", "echo after"], smp=2)
    b.expect(b.rc == 0, f"exit {b.rc}")
    b.expect(b.lines(r"WARNING: cpuhp_kick_ap: called without &?cpu_add_remove_lock held "
                     r"\(task sh, CPU\d+\)"), "the hotplug lock assertion fired")
    b.expect(b.lines(r"WARNING: sched_selftest_rq_unlocked: called without &c->rq_lock held"),
             "the run-queue lock assertion fired")
    b.expect(b.lines(r"WARNING: smp_call_function_single: called preemptible"),
             "the cross-call sender rule fired")
    b.expect(b.output_of("echo after").strip() == "after", "the shell goes on")
    b.expect(not b.lines("BUG:|Kernel panic|Oops"), "nothing else went wrong")
    # In normal operation (every other test) the assertions stay silent.
    quiet = boot(config, ["echo 0 > /sys/devices/system/cpu/cpu1/online",
                          "echo 1 > /sys/devices/system/cpu/cpu1/online"], smp=2)
    quiet.expect_clean()


def test_illegal_handshake_move_reported(config):
    """debug handshake asks the boot-handshake owner for a move its table forbids
    (ARRIVED -> CLAIMED on the running CPU): it is refused, the state is unchanged and
    the BUG line names the CPU, both states and the caller."""
    b = boot(config, ["debug handshake", "echo after"], smp=2)
    b.expect(b.rc == 0, f"exit {b.rc}")
    out = b.output_of("debug handshake")
    b.expect("refused, state unchanged" in out, out)
    b.expect(b.lines(r"BUG: CPU\d boot handshake: illegal transition (ARRIVED|NONE) -> CLAIMED "
                     r"\(by cpu_boot_selftest_illegal; now (ARRIVED|NONE)\)"), "reported")
    b.expect(b.output_of("echo after").strip() == "after", "the shell goes on")
