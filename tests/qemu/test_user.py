# SPDX-License-Identifier: BSD-2-Clause
"""User processes (issue 11): programs from the boot archive run in U-mode in their own
address space, take arguments, return an exit status; a process that does what it must
not is killed with one line and nothing else is disturbed; every page and heap object a
process used comes back."""
import re

from harness import boot, cpulist, only, soak_counts

FAULTS = {
    # kind: (cause in the kill line, faulting address or None for "any", status)
    "kread": ("load page fault", 0x80200000, 139),
    "kwrite": ("store/AMO page fault", 0x80200000, 139),
    "textwrite": ("store/AMO page fault", None, 139),
    "kjump": ("instruction page fault", 0x80200000, 139),
    "illegal": ("illegal instruction", None, 132),
    "null": ("load page fault", 0, 139),
}


def pages_and_objects(text):
    m = re.search(r"live objects (\d+) .*; pages (\d+) free of (\d+)", text)
    return (int(m.group(1)), int(m.group(2)), int(m.group(3))) if m else None


def test_programs_run_with_arguments(config):
    """ls /bin lists the archive; hello prints its pid, CPU and arguments; an exit status
    is shown when it is not zero; an unknown name is 'command not found'."""
    b = boot(config, ["ls /bin", "cat /bin/hello", "hello one two", "fault exit 3", "fault exit 0",
                      "nosuch"], smp=4)
    b.expect_clean()
    progs = b.output_of("ls /bin").split()
    b.expect({"hello", "sysbench", "fault"} <= set(progs), f"ls /bin: {progs}")
    b.expect(re.match(r"hello: user program, \d+ bytes", b.output_of("cat /bin/hello").strip()),
             b.output_of("cat /bin/hello"))
    out = b.output_of("hello one two")
    b.expect(re.search(r"hello from user mode: pid \d+ on cpu[0-3]", out), out)
    b.expect("argv[1] = one" in out and "argv[2] = two" in out, out)
    b.expect(b.output_of("fault exit 3").strip() == "fault: exit status 3", b.output_of("fault exit 3"))
    b.expect(b.output_of("fault exit 0").strip() == "", b.output_of("fault exit 0"))
    b.expect("command not found" in b.output_of("nosuch"), b.output_of("nosuch"))


def test_faults_kill_only_the_process(config):
    """Reading or writing kernel memory, writing its own text, jumping into the kernel,
    an illegal instruction, a NULL load: each kills the process with
    'NAME[PID]: killed: CAUSE at ADDR (pc PC)' and its 128+signal status; a kernel pointer
    passed to write() gets -EFAULT; the shell goes on, and every page and heap object
    comes back."""
    cmds = ["meminfo"]
    for kind in FAULTS:
        cmds += [f"fault {kind}"]
    cmds += ["fault syscall-kptr", "hello", "meminfo"]
    b = boot(config, cmds, smp=4)
    b.expect_clean()
    for kind, (cause, addr, status) in FAULTS.items():
        out = b.output_of(f"fault {kind}", raw=True)
        m = re.search(r"fault\[(\d+)\]: killed: (.+) at 0x([0-9a-f]+) \(pc 0x([0-9a-f]+)\)", out)
        b.expect(m is not None, f"{kind}: no kill line in {out!r}")
        b.expect(m.group(2) == cause, f"{kind}: cause {m.group(2)!r}, expected {cause!r}")
        if addr is not None:
            b.expect(int(m.group(3), 16) == addr, f"{kind}: address 0x{m.group(3)}")
        if kind == "kjump":     # the fetch itself faulted: pc is where it jumped
            b.expect(int(m.group(4), 16) == 0x80200000, f"{kind}: pc 0x{m.group(4)}")
        else:
            b.expect(int(m.group(4), 16) >= 0x2000000000, f"{kind}: pc 0x{m.group(4)} not user code")
        b.expect(f"fault: exit status {status}" in out, f"{kind}: {out!r}")
    out = b.output_of("fault syscall-kptr")
    b.expect("returned -14" in out and "exit status" not in out, out)
    b.expect("hello from user mode" in b.output_of("hello"), "the next program did not run")
    before, after = pages_and_objects(b.output_of("meminfo")), pages_and_objects(b.output_of("meminfo", 1))
    # init and the shell hold their pages throughout: "back" is back to where it was.
    b.expect(before is not None and before == after, f"leaked: before {before}, after {after}")


SPIN = r"spin\[(\d+)\]: (at|done:) (\d+) iterations, ran on cpus ([\d,]+|none)"


def spin_reports(b):
    return [(m.group(2), int(m.group(3)), cpulist(m.group(4)) if m.group(4) != "none" else set())
            for m in re.finditer(SPIN, b.out)]


@only("hotplug")
def test_user_thread_survives_hotplug(config):
    """A user thread affine to CPU3 only, while CPU3 goes offline and a 1,000-operation
    soak runs: its affinity is widened with Linux's line, its count keeps rising in every
    report, it ends on its own with status 0 having run elsewhere, and afterwards
    `hotplug check` is clean and every page is back."""
    c = "/sys/devices/system/cpu"
    b = boot(config, ["meminfo", "spin 3 4000 &", "sleep 700", f"echo 0 > {c}/cpu3/online",
                      "hotplug soak 1000", "sleep 4500", "hotplug check", "meminfo"], smp=4, timeout=120)
    b.expect_clean()
    b.expect(b.lines(r"process \d+ \(spin\) no longer affine to cpu3"), "affinity not widened")
    reps = spin_reports(b)
    counts = [n for _, n, _ in reps]
    b.expect(len(reps) >= 4 and reps[-1][0] == "done:", f"reports {reps}")
    b.expect(all(a < b_ for a, b_ in zip(counts, counts[1:])), f"the count stalled: {counts}")
    b.expect(reps[0][2] == {3} and reps[-1][2] - {3}, f"CPUs run on: {reps[0][2]} .. {reps[-1][2]}")
    b.expect(b.lines(r"\[\d+\] spin: done, exit status 0"), "did not end with status 0")
    n = soak_counts(b.out)
    b.expect(n and n["failed"] == 0 and n["offline_ipis"] == 0, f"soak: {n}")
    b.expect(b.output_of("hotplug check").strip() == "check: 4 CPUs, 0 inconsistencies",
             b.output_of("hotplug check"))
    m0, m = pages_and_objects(b.output_of("meminfo")), pages_and_objects(b.output_of("meminfo", 1))
    b.expect(m and m0 and m[1] == m0[1], f"pages in use after the process ended: {m0} then {m}")


def test_user_threads_only_on_active_cpus(config):
    """nosmt on 2 threads a core: the cancelled siblings are offline (hotplug=true) or
    online but inactive (hotplug=false); a user thread allowed every CPU never runs on
    one of them, and one affine to a sibling only is refused."""
    c = "/sys/devices/system/cpu"
    # Which CPUs are the cancelled siblings depends on the boot hart: try each as the
    # refused one; the transcript shows the active set.
    b = boot(config, [f"cat {c}/active", "spin 0-3 1500 &", "sleep 2000"] +
             [f"spin {cpu} 100" for cpu in range(4)], smp=4, smt=2, append="nosmt")
    b.expect_clean()
    active = cpulist(b.output_of(f"cat {c}/active"))
    # A cancelled sibling per core, except the boot CPU's (it is never cancelled).
    b.expect(2 <= len(active) <= 3 and 0 in active, f"active {active}")
    reps = [r for r in spin_reports(b)]
    b.expect(reps and reps[0][0] in ("at", "done:"), f"reports {reps}")
    first = [r for r in reps if r[1] > 0]
    ran = set().union(*(r[2] for r in first))
    b.expect(ran and ran <= active, f"ran on {ran}, active {active}")
    for cpu in range(4):
        out = b.output_of(f"spin {cpu} 100")
        if cpu in active:
            b.expect(f"ran on cpus {cpu}" in out, f"spin {cpu}: {out}")
        else:
            b.expect(f"setaffinity {cpu}: error -22" in out, f"spin {cpu}: {out}")


def test_memory_system_calls(config):
    """map/unmap/protect: fresh pages are zero, W^X and every bad argument refused with
    its error, a page made read-only kills a writer, an unmapped page kills a reader,
    and every page comes back afterwards."""
    b = boot(config, ["meminfo", "memtest basic", "memtest ro", "memtest unmapped", "meminfo"], smp=4)
    b.expect_clean()
    b.expect(b.output_of("memtest basic").strip() == "memtest: ok", b.output_of("memtest basic"))
    for mode, cause in (("ro", "store/AMO page fault"), ("unmapped", "load page fault")):
        out = b.output_of(f"memtest {mode}", raw=True)
        b.expect(re.search(rf"memtest\[\d+\]: killed: {cause} at 0x3000000000 ", out), f"{mode}: {out!r}")
    before, after = pages_and_objects(b.output_of("meminfo")), pages_and_objects(b.output_of("meminfo", 1))
    b.expect(before == after, f"before {before}, after {after}")


def check_race(b, threads, rounds, where="", objects=True):
    """memtest race's report says every page was there, each freed once, and the free
    pages (and, unless a soak ran beside it, the heap's objects) before and after it
    (the process gone) are the same."""
    b.expect_clean()
    b.expect(not b.lines(r"page_free: "), where + "a page freed twice: " + "; ".join(b.lines("page_free")))
    b.expect(b.lines(rf"memtest: race: {threads} threads, {rounds} rounds: ok$"),
             where + "race: " + "; ".join(b.lines("memtest")))
    before, after = pages_and_objects(b.output_of("meminfo")), pages_and_objects(b.output_of("meminfo", 1))
    if not objects:
        before, after = before[1:], after[1:]
    b.expect(before == after, f"{where}before {before}, after {after}")


def test_map_unmap_protect_race(config):
    """Two threads of one process, one per CPU, map a page each in the same fresh 2 MiB
    regions at once (8 a round, in the same order; 1,000 rounds cross 15 fresh 1 GiB
    ones), protect and read every page the other mapped, both unmap one shared page at
    once, then their own: every page map said it made is there, no page is freed twice,
    and every page (page-table pages included) comes back when the process ends. Without
    the address space's lock this fails in most runs (a page lost with its table)."""
    b = boot(config, ["meminfo", "memtest race 2 1000", "meminfo"], smp=2, timeout=120)
    check_race(b, 2, 1000)


@only("hotplug")
def test_map_unmap_protect_race_through_hotplug(config):
    """The same race (3 threads, 300 rounds) while a fourth thread of it (granted CPU
    control) takes CPUs 1-3 offline and back until the race ends: TLB shootdowns reach
    the CPUs that are online as they leave and come back; nothing lost, every CPU came
    back, hotplug check clean."""
    b = boot(config, ["meminfo", "grant memtest race 3 300 hotplug", "meminfo", "hotplug check"],
             smp=4, timeout=150)
    check_race(b, 3, 300, "through hotplug: ", objects=False)
    m = re.search(r"memtest: race: (\d+) CPU offline/online cycles, (\d+) that did not come back", b.out)
    b.expect(m and int(m.group(1)) > 0 and m.group(2) == "0", f"cycles: {m and m.group(0)}")
    b.expect(b.output_of("hotplug check").strip() == "check: 4 CPUs, 0 inconsistencies",
             b.output_of("hotplug check"))


@only("hotplug")
def test_stale_tlb_check_across_offline(config):
    """A thread touches a page on CPU2; CPU2 goes offline (the thread moves); the page is
    remapped, so CPU2, offline, misses the fence; CPU2 comes back and the thread reads
    the page there again. CPU2's full flush on the way up keeps the stale-TLB check
    quiet; with mmu.skip_online_flush=1 (the bug) the check reports it."""
    c = "/sys/devices/system/cpu"
    cmds = ["tlbtest 2 &", "sleep 500", f"echo 0 > {c}/cpu2/online", "sleep 1500",
            f"echo 1 > {c}/cpu2/online", "sleep 1500", "hotplug check"]
    for skip in (False, True):
        b = boot(config, cmds, smp=4, append="mmu.skip_online_flush=1" if skip else "")
        where = "skip_online_flush: " if skip else ""
        b.expect(b.lines(r"tlbtest: touched 0x[0-9a-f]+ on cpu2"), where + "did not start on cpu2")
        b.expect(b.lines(r"tlbtest: remapped 0x[0-9a-f]+ on cpu[013]"), where + "not remapped elsewhere")
        b.expect(b.lines(r"tlbtest: back on cpu2, read 2"), where + "did not read the new page on cpu2")
        b.expect(b.lines(r"\[\d+\] tlbtest: done, exit status 0"), where + "did not end well")
        b.expect(b.output_of("hotplug check").strip() == "check: 4 CPUs, 0 inconsistencies", where + "check")
        stale = b.lines(r"BUG: stale TLB for \d+ on cpu2")
        if skip:
            b.expect(stale, "the check did not fire without the incoming CPU's flush")
        else:
            b.expect_clean()
            b.expect(not stale, f"stale TLB reported: {stale}")


def test_stale_tlb_check_on_a_first_run(config):
    """A process unmaps a page on CPU1, then runs on CPU2 for the first time: CPU2
    holds none of its entries, so entering user mode there is not stale (the check once
    said it was)."""
    b = boot(config, ["tlbtest first 1 2", "tlbtest first 2 1"], smp=4)
    b.expect_clean()
    for a, c in ((1, 2), (2, 1)):
        b.expect(b.output_of(f"tlbtest first {a} {c}").strip() ==
                 f"tlbtest: unmapped on cpu{a}, then first ran on cpu{c}", b.output_of(f"tlbtest first {a} {c}"))
    b.expect(not b.lines("BUG: stale TLB"), "a false stale-TLB report")


def test_spawn_and_wait_from_user_space(config):
    """spawn/wait system calls: a child's status comes back, waiting twice or for a
    stranger is ECHILD, bad names and pointers are refused; children left behind by a
    parent that ends (some already ended, some still running) free themselves: every
    page and heap object comes back."""
    b = boot(config, ["meminfo", "proctest spawn", "proctest orphans", "sleep 1000", "meminfo"], smp=4)
    b.expect_clean()
    b.expect(b.output_of("proctest spawn").strip().endswith("proctest: spawn ok"),
             b.output_of("proctest spawn"))
    b.expect("leaving 6 children" in b.output_of("proctest orphans"), b.output_of("proctest orphans"))
    b.expect(len(b.lines(r"spin\[\d+\]: done:")) == 3, "the orphaned spinners did not all finish")
    before, after = pages_and_objects(b.output_of("meminfo")), pages_and_objects(b.output_of("meminfo", 1))
    b.expect(before == after, f"before {before}, after {after}")


def test_file_log_console_and_privileged_calls(config):
    """sysfs_list/read/write, klog_read, read and kcmd/reboot/setfg: every error path
    (bad and kernel pointers, short buffers, a path too long, offsets, a bad fd, no such
    kernel command); an unprivileged child is refused the privileged calls; the
    shell (privileged) reaches a kernel command and nothing leaks."""
    b = boot(config, ["meminfo", "proctest calls", "ps", "meminfo"], smp=2)
    b.expect_clean()
    out = b.output_of("proctest calls")
    b.expect(out.strip().endswith("proctest: calls ok"), out)
    b.expect(b.output_of("ps").startswith("  PID"), "the shell's kernel command")
    before, after = pages_and_objects(b.output_of("meminfo")), pages_and_objects(b.output_of("meminfo", 1))
    b.expect(before == after, f"before {before}, after {after}")


def test_init_must_not_end(config):
    """Killing init: the kernel says so and powers off rather than leave the console
    without a shell."""
    first = boot(config, ["ps"], smp=2)
    rows = [r.split() for r in first.output_of("ps").splitlines()[1:]]
    init = [r[0] for r in rows if r[-2:] == ["user", "init"]]
    first.expect(len(init) == 1, f"no init in ps: {rows}")
    b = boot(config, [f"kill {init[0]}", "sleep 1000", "echo not reached"], smp=2, poweroff=False)
    b.expect(b.rc == 0, f"exit status {b.rc}: a power-off, not a hang or a crash")
    b.expect(b.lines(rf"init\[{init[0]}\]: ended with status 137; nothing is left to run the system: "
                     r"powering off"), "the kernel's message")
    b.expect(b.lines(r"reboot: Power down"), "powered off")


def test_threads(config):
    """Threads of one process: created with the caller's affinity, joined for their
    values, every error path; exit from one thread ends them all at once (status 5);
    the process outlives its first thread and ends with its last; a kill ends every
    thread (137); nothing leaks."""
    cmds = ["meminfo", "threadtest basic", "threadtest exit", "threadtest last", "threadtest kill",
            "threadtest spin 1500 &", "sleep 300", "ps", "sleep 2500", "ps", "meminfo"]
    b = boot(config, cmds, smp=4)
    b.expect_clean()
    b.expect(b.output_of("threadtest basic").strip().startswith("threadtest: basic ok"),
             b.output_of("threadtest basic"))
    b.expect(b.output_of("threadtest exit").strip() == "threadtest: exit status 5",
             b.output_of("threadtest exit"))
    b.expect(b.output_of("threadtest last").strip() == "", b.output_of("threadtest last"))
    b.expect(b.output_of("threadtest kill").strip().endswith("threadtest: kill ok"),
             b.output_of("threadtest kill"))
    b.expect(len(b.lines(r"threadtest\[\d+\]: killed")) == 1, "one line for a killed process")
    b.expect(b.lines(r"^threadtest: spin ok: 4 threads"), "the spinners: " + "; ".join(b.lines("threadtest")))
    b.expect(b.lines(r"^\[\d+\] threadtest: done, exit status 0$"), "the spinners' process ended badly")
    rows = [r.split() for r in b.output_of("ps").splitlines()[1:] if r.endswith(" threadtest")]
    b.expect(len(rows) == 5 and len({r[-3] for r in rows}) == 1 and {r[-2] for r in rows} == {"user"},
             f"ps: the first thread and its four, of one process: {rows}")
    b.expect(rows[0][-3] in [r[0] for r in rows], f"the process is its first thread's pid: {rows}")
    b.expect(not [r for r in b.output_of("ps", 1).splitlines() if r.endswith(" threadtest")],
             "a thread left behind")
    before, after = pages_and_objects(b.output_of("meminfo")), pages_and_objects(b.output_of("meminfo", 1))
    b.expect(before == after, f"before {before}, after {after}")


@only("hotplug")
def test_threads_survive_hotplug(config):
    """Four threads of one process count through a soak that takes their CPUs down and
    up: none is lost, each keeps counting, and hotplug check is clean."""
    cmds = ["threadtest spin 4000 &", "hotplug soak 300", "sleep 5000", "hotplug check"]
    b = boot(config, cmds, smp=4, timeout=120)
    b.expect_clean()
    m = b.lines(r"threadtest: spin ok: 4 threads, counts (\d+) (\d+) (\d+) (\d+), cpus mask")
    b.expect(m, "the threads did not all finish: " + "; ".join(b.lines("threadtest")))
    b.expect(b.lines(r"\[\d+\] threadtest: done, exit status 0"), "exit status")
    b.expect(b.output_of("hotplug check").strip() == "check: 4 CPUs, 0 inconsistencies",
             b.output_of("hotplug check"))


def test_kill(config):
    """kill: a spinning and a sleeping child killed by their parent end at once with
    status 137 (a second kill is ESRCH); the shell's kill ends a background process the
    same way and refuses kernel tasks; ps marks user and kernel threads; nothing leaks."""
    prefix = ["meminfo", "spin 0-3 20000 &", "sleep 200"]
    b = boot(config, prefix + ["ps", "kill 1", "proctest kill"], smp=4)
    out = b.output_of("proctest kill")
    b.expect(out.strip().endswith("proctest: kill ok"), out)
    rows = [r.split() for r in b.output_of("ps").splitlines()[1:]]
    spin = [r for r in rows if r[-1] == "spin"]
    b.expect(len(spin) == 1 and spin[0][-2] == "user", f"ps: {rows}")
    b.expect(all(r[-2] == "kernel" for r in rows if r[-1].startswith(("idle/", "cpuhp/", "tty"))), "ps modes")
    b.expect(all(r[-2] == "user" for r in rows if r[-1] in ("init", "sh")), "ps modes")
    b.expect(b.output_of("kill 1").strip().endswith("(EPERM)"), b.output_of("kill 1"))
    b.expect(not b.lines("BUG:|Oops|Kernel panic|WARNING"), "something went wrong")
    # The same boot up to the spawn gives the spinner the same pid: kill it from the shell.
    pid = spin[0][0]
    b2 = boot(config, prefix + [f"kill {pid}", "sleep 300", "meminfo"], smp=4)
    b2.expect_clean()
    b2.expect(b2.output_of("spin 0-3 20000 &").strip() == f"[{pid}] spin",
              "another pid: " + b2.output_of("spin 0-3 20000 &"))
    b2.expect(b2.lines(rf"\[{pid}\] spin: done, exit status 137"), "the shell's kill did not end it")
    before, after = pages_and_objects(b2.output_of("meminfo")), pages_and_objects(b2.output_of("meminfo", 1))
    b2.expect(before == after, f"before {before}, after {after}")


def test_fewer_asid_bits(config):
    """mmu.asid_bits=0 (a hart without ASIDs) and =1 (one ASID: init has it, every
    later process flushes on each switch): processes still run, keep their registers,
    see their own memory, and the stale-TLB check stays quiet."""
    for bits, asids in ((0, 0), (1, 1)):
        b = boot(config, ["memtest basic", "regtest", "proctest spawn", "proctest bench"], smp=2,
                 append=f"mmu.asid_bits={bits}", timeout=120)
        where = f"mmu.asid_bits={bits}: "
        b.expect_clean()
        b.expect(b.lines(rf"mmu: using {bits} ASID bits \(mmu.asid_bits\): {asids} ASIDs, "
                         r"then flush on switch"), where + "the cap was not taken")
        b.expect(b.output_of("memtest basic").strip() == "memtest: ok", where + b.output_of("memtest basic"))
        b.expect(b.output_of("regtest").strip() == "regtest: ok", where + b.output_of("regtest"))
        b.expect(b.output_of("proctest spawn").strip().endswith("proctest: spawn ok"), where + "spawn")
        b.expect("process switch" in b.output_of("proctest bench"), where + "two processes on one CPU")


def test_registers_survive_traps(config):
    """Every user register keeps its value across timer interrupts and system calls
    (regtest: all of them loaded with known values and checked each round); in the
    full build also while the soak moves the thread between CPUs that go down and up."""
    cmds = ["regtest"]
    if config == "hotplug":
        cmds += ["regtest 60000000 &", "hotplug soak 300", "sleep 5000"]
    b = boot(config, cmds, smp=4, timeout=120)
    b.expect_clean()
    b.expect(b.output_of("regtest").strip() == "regtest: ok", b.output_of("regtest"))
    if config == "hotplug":
        b.expect(b.out.count("regtest: ok") == 2 and b.lines(r"\[\d+\] regtest: done, exit status 0"),
                 "the background regtest did not finish clean: " + "; ".join(b.lines("regtest")))


def utorture_report(b):
    """(violations shown, the closing line's match) of a utorture run."""
    end = re.search(r"utorture: (0 violations|violations \(see above\)); free pages (\d+) before, (\d+) after",
                    b.out)
    return b.lines(r"utorture: VIOLATION"), end


def test_utorture_short(config):
    """The user-level torture, 3,000 operations at -smp 4 (tools/bench runs 100,000):
    IPC on both paths with and without timeouts, buffers and passed handles,
    notifications, threads ended and killed mid-call, affinity changes, racing maps,
    processes spawned and reaped, while (hotplug=true) a thread of it takes CPUs down
    and up: 0 violations, no BUG or WARN, the free pages the same after it ended, and
    hotplug check clean."""
    seed = 24
    b = boot(config, ["meminfo", f"grant utorture 3000 {seed}", "meminfo", "hotplug check"], smp=4,
             timeout=240)
    b.expect_clean()
    shown, end = utorture_report(b)
    b.expect(not shown and end and end.group(1) == "0 violations",
             "utorture: " + "; ".join(b.lines(r"utorture: ")[-6:]))
    hot = re.search(r"hotplug (on|off)[^:]*: (\d+) operations", b.out)
    b.expect(hot and (hot.group(1) == "on") == (config == "hotplug") and
             (config != "hotplug" or int(hot.group(2)) > 0), f"utorture's hotplug: {hot and hot.group(0)}")
    b.expect(b.output_of("hotplug check").strip() == "check: 4 CPUs, 0 inconsistencies",
             b.output_of("hotplug check"))
    before, after = pages_and_objects(b.output_of("meminfo")), pages_and_objects(b.output_of("meminfo", 1))
    b.expect(before[1:] == after[1:], f"pages before {before}, after {after}")
