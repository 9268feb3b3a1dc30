# SPDX-License-Identifier: BSD-2-Clause
"""IPIs without M-mode (issue 13): on the AIA machine (-M virt,aia=aplic-imsic) IPIs go
through the supervisor-level IMSIC (arch/riscv/imsic.c), elsewhere through SBI; the
boot log names the path. Every IPI user works on the IMSIC path: the boot release,
cross-calls, wake-ups, stop_machine, hotplug under a soak, nosmt, IPC across CPUs."""
import re

from harness import boot, only, soak_counts
from test_smt import check_nosmt
from test_ipc import check_pairs

CPU = "/sys/devices/system/cpu"


def test_ipi_path_is_named(config):
    """The boot log says which way IPIs travel: the S-level IMSIC on the AIA machine,
    SBI on the plain one; a cross-call storm loses nothing on either, and stop_machine
    finishes on either whether its function runs on another CPU than the caller's (the
    caller takes its own CPU's part itself) or on the caller's own (its stopper does)."""
    for aia, want in ((True, r"IPIs: S-level IMSIC at 0x28000000 \(4 hart files\), no firmware call"),
                      (False, r"IPIs: through SBI \(no supervisor-level IMSIC in the device tree\)")):
        b = boot(config, ["ipistorm 100", "hotplug stopmachine"], smp=4, aia=aia)
        b.expect_clean()
        b.expect(b.lines(want), f"aia={aia}: no line /{want}/")
        storm = b.output_of("ipistorm 100")
        b.expect("4 CPUs x 100 rounds" in storm and "lost 0" in storm and "offline IPIs 0" in storm,
                 f"aia={aia}: {storm}")
        # The IPIs did the work, not the tick's poll for reasons whose IPI never came:
        # with IPIs that go nowhere the tick takes about every other round (checked).
        m = re.search(r"taken by the tick (\d+)", storm)
        b.expect(m and int(m.group(1)) < 20, f"aia={aia}: {storm}")
        sm = b.output_of("hotplug stopmachine")
        b.expect(re.search(r"ran on CPU\d+ with 4 CPUs stopped", sm) and
                 "the caller's own, with 4 CPUs stopped" in sm, f"aia={aia}: stop_machine: {sm}")


@only("hotplug")
def test_soak_on_aia(config):
    """A 300-operation soak with its cross-call and deferred-work load on the IMSIC path:
    nothing fails, no call runs offline or races an offline CPU, no work is lost, every
    offline hart is STOPPED, hotplug check is clean."""
    b = boot(config, ["busy 1-3", "hotplug soak 300", "hotplug check"], smp=4, aia=True, timeout=300)
    b.expect_clean()
    out = b.output_of("hotplug soak 300")
    n = soak_counts(out)
    b.expect(n is not None and n["operations"] == 300, out)
    b.expect(n["failed"] == 0 and n["offline_ipis"] == 0 and n["raced"] == 0 and n["not_stopped"] == 0,
             out)
    b.expect(n["queued"] > 0 and n["queued"] == n["executed"], out)
    b.expect(b.output_of("hotplug check").strip() == "check: 4 CPUs, 0 inconsistencies",
             b.output_of("hotplug check"))


def test_nosmt_on_aia(config):
    """nosmt on --smt 2 at -smp 4 on the AIA machine: the same outcome as on the plain
    one in each build (test_smt.check_nosmt), the boot release and the cancel's
    take-down or online-inactive idle on the IMSIC path."""
    check_nosmt(config, 4, "nosmt", aia=True)


def test_ipc_pairs_on_aia(config):
    """Four client threads calling their servers across CPUs for a second: every wake-up
    of a sleeper on another CPU is an IMSIC IPI; none lost, none twice."""
    b = boot(config, ["ipctest pairs 4 1000"], smp=4, aia=True)
    b.expect_clean()
    check_pairs(b, 4)
