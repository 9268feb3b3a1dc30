# SPDX-License-Identifier: BSD-2-Clause
"""The shell: every command and its error paths, scripts, long shell.run."""
import re
import tempfile

from harness import boot

CPU = "/sys/devices/system/cpu"


def test_commands(config):
    """Every command once, with its output checked."""
    cmds = ["help", "ls /", "ls " + CPU, "ls " + CPU + "/cpu1/topology",
            f"cat {CPU}/online {CPU}/present", "echo hello world", "ps", "dmesg", "meminfo",
            "sleep 20", f"cat {CPU}/cpu1/topology/core_id", f"cat {CPU}/cpu1/hart_id",
            f"cat {CPU}/cpu1/topology/thread_siblings_list", f"cat {CPU}/cpu2/hart_id"]
    b = boot(config, cmds, smp=4)
    b.expect_clean()
    helptext = b.output_of("help")
    for c in ("ls", "cat", "echo", "ps", "dmesg", "poweroff", "reboot", "taskset", "busy"):
        b.expect(c in helptext, f"help lacks {c}")
    b.expect(sorted(b.output_of("ls /").split()) == ["bin/", "sys/"], "ls /")
    listing = b.output_of("ls " + CPU).split()
    for entry in ("possible", "present", "online", "offline", "active", "cpu0/", "cpu3/"):
        b.expect(entry in listing, f"ls lacks {entry}")
    b.expect(b.output_of("ls " + CPU + "/cpu1/topology").split() ==
             ["core_id", "thread_siblings_list"], "topology dir")
    b.expect(b.output_of(f"cat {CPU}/online {CPU}/present").split() == ["0-3", "0-3"], "cat 2")
    b.expect(b.output_of("echo hello world").strip() == "hello world", "echo")
    ps = [r.split() for r in b.output_of("ps").splitlines()[1:]]
    for name, mode in (("idle/0", "kernel"), ("idle/3", "kernel"), ("init", "user"), ("sh", "user")):
        b.expect([mode, name] in [r[-2:] for r in ps], f"ps lacks {name} in {mode} mode: {ps}")
    b.expect("smp: Brought up 4 of 4 CPUs" in b.output_of("dmesg", raw=True), "dmesg")
    b.expect("live objects" in b.output_of("meminfo"), "meminfo")
    # QEMU's cpu-map lists hart N as core N; CPU1 is whichever hart follows the boot hart.
    b.expect(b.output_of(f"cat {CPU}/cpu1/topology/core_id").strip() ==
             b.output_of(f"cat {CPU}/cpu1/hart_id").strip(), "core_id is the hart's core")
    b.expect(b.output_of(f"cat {CPU}/cpu1/topology/thread_siblings_list").strip() == "1",
             "no SMT in QEMU's own DTB: a CPU is its own sibling")


def test_error_paths(config):
    """Bad input gives one clear line with the errno name, and the shell goes on."""
    cases = {
        "frobnicate": "sh: frobnicate: command not found",
        "cat /nope": "cat: /nope: No such file or directory (ENOENT)",
        "cat " + CPU: f"cat: {CPU}: Is a directory (EISDIR)",
        "cat": "usage: cat FILE...",
        "ls " + CPU + "/online": f"ls: {CPU}/online: Not a directory (ENOTDIR)",
        "ls /nope": "ls: /nope: No such file or directory (ENOENT)",
        "echo 1 > " + CPU + "/online": f"echo: {CPU}/online: Operation not permitted (EPERM)",
        "echo 1 > /nope": "echo: /nope: No such file or directory (ENOENT)",
        "echo 1 >": "sh: redirection is only 'echo VALUE > FILE'",
        "ps > /x": "sh: redirection is only 'echo VALUE > FILE'",
        "taskset 9999 0": "taskset: 9999: No such file or directory (ENOENT)",
        "taskset x 0": "taskset: x: Invalid argument (EINVAL)",
        "taskset 1 0-": "taskset: 0-: Invalid argument (EINVAL)",
        "busy 7-9": "busy: 7-9: Invalid argument (EINVAL)",
        "busy abc": "busy: abc: Invalid argument (EINVAL)",
        "kill 1": "kill: 1: Operation not permitted (EPERM)",
        "sleep x": "usage: sleep MS",
        "debug nothing": "usage: debug",
        "ipistorm 0": "usage: ipistorm",
        "a b c d e f g h i j k l m n o p q": "sh: too many arguments",
    }
    b = boot(config, list(cases) + ["meminfo", "echo still alive"], smp=4)
    b.expect_clean()
    for cmd, want in cases.items():
        got = b.output_of(cmd).strip()
        b.expect(got.startswith(want) and len(got.splitlines()) == 1,
                 f"{cmd!r}: got {got!r}, want one line starting {want!r}")
    b.expect(b.output_of("echo still alive").strip() == "still alive", "shell went on")


def test_busy_taskset_migrates(config):
    """A busy task started on CPU 1 runs there; taskset moves it to CPU 2; kill ends it
    and its memory comes back."""
    first = boot(config, ["busy 1", "poweroff"], smp=4)
    m = re.search(r"busy: started pid (\d+) on 1", first.out)
    first.expect(m is not None, "busy did not start")
    pid = m.group(1)   # pids are handed out in a fixed order at boot: the same next time
    # The first sleep lets the boot's init thread finish exiting, so the first count
    # holds only what lives on.
    b = boot(config, ["sleep 50", "meminfo", "busy 1", "sleep 50", "ps", f"taskset {pid} 2",
                      "sleep 50", "ps", f"kill {pid}", "sleep 50", "ps", "meminfo"], smp=4)
    b.expect_clean()
    b.expect(f"started pid {pid} on 1" in b.output_of("busy 1"), b.output_of("busy 1"))

    def busy_row(nth):
        rows = [r.split() for r in b.output_of("ps", nth).splitlines() if r.endswith(" busy")]
        return rows[0] if rows else None

    r0, r1 = busy_row(0), busy_row(1)
    b.expect(r0 is not None and r0[1] == "1" and r0[3] == "1", f"busy on CPU 1: {r0}")
    b.expect(r1 is not None and r1[1] == "2" and r1[3] == "2", f"busy moved to CPU 2: {r1}")
    b.expect(busy_row(2) is None, "busy gone after kill")
    live = [re.search(r"live objects \d+ \(\d+ bytes\)", b.output_of("meminfo", i)).group(0)
            for i in (0, 1)]
    b.expect(live[0] == live[1], f"memory leaked: {live}")


def test_script_file(config):
    """tools/run --script FILE: commands one per line, # comments, run as a transcript."""
    with tempfile.NamedTemporaryFile("w", suffix=".sh") as f:
        f.write("# a comment\n\necho from script\ncat /sys/devices/system/cpu/online\n"
                "  # indented comment\npoweroff\n")
        f.flush()
        b = boot(config, None, smp=2, script=f.name)
    b.expect_clean()
    b.expect([c for c, _ in b.cmds] == ["echo from script", "cat /sys/devices/system/cpu/online",
                                        "poweroff"], f"transcript {b.cmds}")
    b.expect(b.output_of("echo from script").strip() == "from script", "echo")


def test_long_shell_run(config):
    """A shell.run= of more than 4 KiB: every command in it runs, in order."""
    cmds = [f"echo n{i}" for i in range(600)]
    b = boot(config, cmds, smp=2)
    b.expect_clean()
    b.expect(sum(len(c) + 2 for c in cmds) > 4096, "the script is over 4 KiB")
    echoed = [o.strip() for c, o in b.cmds if c.startswith("echo n")]
    b.expect(echoed == [f"n{i}" for i in range(600)], "all 600 commands ran in order")


def test_reboot(config):
    """reboot resets through SBI SRST; with -no-reboot QEMU then exits 0."""
    b = boot(config, ["reboot"], smp=2, poweroff=False, extra=["-no-reboot"])
    b.expect_clean()
    b.expect(b.lines("reboot: Restarting system"), "reboot message")


def test_park_unpark(config):
    """A thread bound to CPU 1 counts; parked it stops (state P), unparked it counts again,
    still on CPU 1."""
    b = boot(config, ["debug park"], smp=4)
    b.expect_clean()
    out = b.output_of("debug park").strip()
    b.expect(out.startswith("park: cpu 1, state when parked P") and out.endswith(": ok"), out)


def test_tick_preemption(config):
    """Two busy tasks that never yield share CPU 1: the tick preempts them, both make
    progress, and the shell on CPU 0 stays responsive."""
    b = boot(config, ["busy 1", "busy 1", "sleep 200", "ps", "echo responsive"], smp=4)
    b.expect_clean()
    rows = [r.split() for r in b.output_of("ps").splitlines() if r.endswith(" busy")]
    b.expect(len(rows) == 2, f"two busy tasks: {rows}")
    for r in rows:
        b.expect(r[1] == "1" and int(r[4]) >= 5, f"busy task preempted on CPU 1: {r}")
    b.expect(b.output_of("echo responsive").strip() == "responsive", "shell")


def test_lookups_race_exiting_tasks(config):
    """debug taskrace: 500 short-lived tasks are each looked up by pid, moved and told to
    stop (what taskset and kill do) while they exit by themselves on other CPUs. The
    lookup holds a reference, so a task that exits meanwhile is found exiting (ESRCH
    from the move) or gone, never used after it was freed: no BUG, no Oops (without the
    reference this run faults). taskset and kill of a pid that exited give ENOENT."""
    b = boot(config, ["debug taskrace", "busy 1", "kill 999", "taskset 999 0", "meminfo"], smp=4)
    b.expect_clean()
    m = re.search(r"taskrace: 500 tasks; lookups found (\d+) alive, (\d+) exiting, (\d+) gone",
                  b.output_of("debug taskrace"))
    b.expect(m is not None, b.output_of("debug taskrace"))
    alive, exiting, gone = map(int, m.groups())
    b.expect(alive > 0 and gone > 0, f"the race was not run: {m.group(0)}")
    b.expect(b.output_of("kill 999").strip().endswith("(ENOENT)"), b.output_of("kill 999"))
    b.expect(b.output_of("taskset 999 0").strip().endswith("(ENOENT)"), b.output_of("taskset 999 0"))
