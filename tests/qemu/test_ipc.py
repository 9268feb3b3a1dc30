# SPDX-License-Identifier: BSD-2-Clause
"""IPC between processes (issue 12): endpoints, handles and rights, call/reply/send/recv
with timeouts, peers that end, notifications, the fast path; sequenced call/reply pairs,
also through a soak that takes their CPUs down and up."""
import re

from harness import boot, only, soak_counts

PAIRS = r"ipctest: pairs (\d+): calls (\d+), lost (\d+), duplicated (\d+), timeouts (\d+), errors (\d+)"


def pages(text):
    m = re.search(r"pages (\d+) free of (\d+)", text)
    return (int(m.group(1)), int(m.group(2))) if m else None


def test_ipc_semantics(config):
    """call and reply with a server process; a badge reaches the server; a copy of a
    handle can only narrow its rights and keep its badge; bad handles are EBADF, a
    missing right EPERM; a receive with nobody sending times out; a caller whose server
    ends holding its call, or whose endpoint loses its last receiver, gets EPIPE; a
    process handle and a thread handle passed to the server end what they name (the
    thread alone, join value 137; a process whose only thread is ended so ends with
    137), a copy without the control right cannot; all pages come back."""
    b = boot(config, ["meminfo", "ipctest basic", "meminfo"], smp=2)
    b.expect_clean()
    out = b.output_of("ipctest basic")
    b.expect(out.strip() == "ipctest: basic ok", out)
    b.expect(pages(b.output_of("meminfo")) == pages(b.output_of("meminfo", 1)), "pages leaked")


def test_notifications(config):
    """Notification bits: signals before anyone waits are kept and taken at once,
    polling and a timeout, bits from another process and from a thread wake the wait,
    rights and the kind of a handle are checked; all pages come back."""
    b = boot(config, ["meminfo", "ipctest notify", "meminfo"], smp=2)
    b.expect_clean()
    out = b.output_of("ipctest notify")
    b.expect(out.strip() == "ipctest: notify ok", out)
    b.expect(pages(b.output_of("meminfo")) == pages(b.output_of("meminfo", 1)), "pages leaked")


def test_fast_path(config):
    """IPC's fast path (kernel/ipc_fast.c) on one CPU and on its neighbour: messages of
    every length from 1 to 8 words each way come back right and no word beyond a
    message's length reaches the other side; most hand-offs are direct (the kernel's
    counters in /sys/kernel/ipc/fastpath); a parked server is killed, a parked caller
    whose server ends gets EPIPE, a parked server answered from another CPU resumes
    from its park context; all pages come back."""
    b = boot(config, ["meminfo", "ipctest fast 1", "ipctest fast 0", "cat /sys/kernel/ipc/fastpath",
                      "meminfo"], smp=2)
    b.expect_clean()
    for cpu in (1, 0):
        out = b.output_of(f"ipctest fast {cpu}")
        b.expect(out.strip() == "ipctest: fast ok", out)
    counts = dict(re.findall(r"^(\w+) (\d+)$", b.output_of("cat /sys/kernel/ipc/fastpath"), re.M))
    b.expect(set(counts) == {"direct", "switched", "resumed", "finished_slow"}, counts)
    b.expect(pages(b.output_of("meminfo")) == pages(b.output_of("meminfo", 1)), "pages leaked")


def check_pairs(b, n):
    m = re.search(PAIRS, b.out)
    b.expect(m, "no pairs report: " + "; ".join(b.lines("ipctest")))
    got = [int(x) for x in m.groups()]
    b.expect(got[0] == n and got[1] > 0 and got[2:] == [0, 0, 0, 0], f"pairs: {m.group(0)}")


def test_ipc_pairs(config):
    """Four client threads, each calling its own server process with a sequence number
    for a second: every reply is the next number."""
    b = boot(config, ["ipctest pairs 4 1000"], smp=4)
    b.expect_clean()
    check_pairs(b, 4)


@only("hotplug")
def test_ipc_pairs_through_a_soak(config):
    """The pairs while a 1,000-operation soak takes CPUs down and up: servers and
    clients sleeping in IPC move with their CPUs and wake where they are; none of the
    calls is lost, answered twice or timed out; the soak fails nothing and hotplug
    check is clean."""
    cmds = ["meminfo", "ipctest pairs 4 5000 &", "hotplug soak 1000", "sleep 6000", "hotplug check",
            "meminfo"]
    b = boot(config, cmds, smp=4, timeout=150)
    b.expect_clean()
    check_pairs(b, 4)
    b.expect(b.lines(r"^\[\d+\] ipctest: done, exit status 0$"), "the pairs' exit status")
    n = soak_counts(b.out)
    b.expect(n and n["failed"] == 0 and n["offline_ipis"] == 0, f"soak: {n}")
    b.expect(b.output_of("hotplug check").strip() == "check: 4 CPUs, 0 inconsistencies",
             b.output_of("hotplug check"))
    b.expect(pages(b.output_of("meminfo")) == pages(b.output_of("meminfo", 1)), "pages leaked")
