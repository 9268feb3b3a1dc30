# SPDX-License-Identifier: BSD-2-Clause
"""User processes (issue 11): programs from the boot archive run in U-mode in their own
address space, take arguments, return an exit status; a process that does what it must
not is killed with one line and nothing else is disturbed; every page and heap object a
process used comes back."""
import re

from harness import boot

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
    b.expect(before is not None and before == after, f"leaked: before {before}, after {after}")
    b.expect(after[1] == after[2], f"pages in use after every process ended: {after}")
