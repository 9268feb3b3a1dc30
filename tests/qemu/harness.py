# SPDX-License-Identifier: BSD-2-Clause
"""Boots hartplug under QEMU through tools/run and reads what it printed.

A scenario drives the shell with shell.run= (or a --script file), powers off, and
then asserts on the transcript: every command appears as "hartplug# cmd" followed by
its output.
"""
import os
import re
import shlex
import subprocess
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
RUN = os.path.join(ROOT, "tools", "run")
PROMPT = "hartplug# "
CONFIGS = ("hotplug", "nohotplug")


class Failure(Exception):
    pass


def only(*configs):
    """Marks a test that applies to some configurations: the others report it as SKIP."""
    def mark(fn):
        fn.configs = configs
        return fn
    return mark


def bundled_firmware(fn):
    """Marks a test that asserts what the bundled OpenSBI 1.1 itself does (its own
    deviations): with tools/test --bios FILE it is reported as SKIP, saying why."""
    fn.bundled_firmware = True
    return fn


def once(fn):
    """Marks a test that does not depend on the configuration (a host tool on saved or
    crafted input, or one that boots both builds itself): it runs once, as fn()."""
    fn.once = True
    return fn


class Boot:
    """The result of one QEMU run: exit status, console text, transcript."""

    def __init__(self, rc, out, args):
        self.rc = rc
        self.out = out.replace("\r", "")
        self.args = args
        self.cmds = parse_transcript(self.out)
        self.raw_cmds = parse_transcript(self.out, keep_log=True)

    def output_of(self, cmd, nth=0, raw=False):
        """Output of the nth run of cmd; log lines that interleave with it are left out
        unless raw (for commands such as dmesg whose output is log lines)."""
        found = [o for c, o in (self.raw_cmds if raw else self.cmds) if c == cmd]
        if len(found) <= nth:
            raise Failure(f"command {cmd!r} not in transcript")
        return found[nth]

    def lines(self, pattern):
        return [l for l in self.out.splitlines() if re.search(pattern, l)]

    def command(self):
        """The tools/run command line that reproduces this boot (seeds are in it)."""
        return " ".join(shlex.quote(a) for a in self.args).replace("--no-build ", "")

    def expect(self, cond, what):
        if not cond:
            raise Failure(what + "\n--- console (last 40 lines) ---\n" +
                          "\n".join(self.out.splitlines()[-40:]) +
                          "\n--- reproduce with ---\n" + self.command())

    def expect_clean(self, rc=0):
        """The boot ended as asked and nothing went wrong on the way."""
        self.expect(self.rc == rc, f"exit status {self.rc}, expected {rc}")
        for bad in ("BUG:", "Kernel panic", "IPI on offline CPU", "Oops", "WARNING"):
            self.expect(bad not in self.out, f"unexpected {bad!r} in console output")


def unsplit(out):
    """The console with every kernel log line that broke into the middle of a program's
    line taken out, so that the program's line reads whole again (the kernel writes its
    lines whenever it must, as Linux's printk does)."""
    return re.sub(r"(?<=[^\n])\[\s*\d+\.\d{6}\] cpu\d+: [^\n]*\n", "", out)


def parse_transcript(out, keep_log=False):
    """[(command, output text)] in order, from "hartplug# cmd" lines."""
    cmds = []
    cur = None
    buf = []
    for line in out.splitlines():
        if line.startswith(PROMPT):
            if cur is not None:
                cmds.append((cur, "\n".join(buf)))
            cur = line[len(PROMPT):].strip()
            buf = []
        elif cur is not None and (keep_log or not re.match(r"^\[\s*\d+\.\d{6}\] cpu\d+: ", line)):
            buf.append(line)
    if cur is not None:
        cmds.append((cur, "\n".join(buf)))
    return cmds


# Boot parameters every boot gets first, and a list that collects every Boot when not
# None: test_firmware runs whole suites under an emulation (sbi.ipi=) with them.
EXTRA_APPEND = ""
BOOTS = None
# tools/test --bios FILE: every boot that names no firmware of its own boots on this one.
BIOS = None


def boot(config, cmds=None, smp=4, append="", dtb=None, icount=False, script=None,
         timeout=90, poweroff=True, extra=None, smt=None, aia=False, hsmtest=False, bios=None):
    """Runs tools/run --no-build and returns a Boot (aia: the machine with an IMSIC;
    hsmtest: the image with hsmtest's checks; bios: a firmware file instead of QEMU's)."""
    args = [RUN, "--no-build", "--config", config, "--smp", str(smp),
            "--timeout", str(timeout)]
    line = " ".join(filter(None, (EXTRA_APPEND, append)))
    if cmds is not None:
        all_cmds = list(cmds) + (["poweroff"] if poweroff else [])
        line = (line + " " if line else "") + 'shell.run="' + "; ".join(all_cmds) + '"'
    if line:
        args += ["--append", line]
    if dtb:
        args += ["--dtb", dtb]
    if smt:
        args += ["--smt", str(smt)]
    if icount:
        args.append("--icount")
    if aia:
        args.append("--aia")
    if hsmtest:
        args.append("--hsmtest")
    if bios or BIOS:
        args += ["--bios", bios or BIOS]
    if script:
        args += ["--script", script]
    if extra:
        args += ["--"] + list(extra)
    p = subprocess.run(args, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, timeout=timeout + 30)
    b = Boot(p.returncode, p.stdout.decode("utf-8", "replace"), args)
    if BOOTS is not None:
        BOOTS.append(b)
    return b


def render(text):
    """What a terminal shows for text: a backspace moves left, a character overwrites
    (the line editor erases with backspace-space-backspace); trailing blanks dropped."""
    shown = []
    for raw in text.replace("\r", "").split("\n"):
        cells, col = [], 0
        for ch in raw:
            if ch == "\b":
                col = max(0, col - 1)
                continue
            if col < len(cells):
                cells[col] = ch
            else:
                cells.append(ch)
            col += 1
        shown.append("".join(cells).rstrip())
    return "\n".join(shown)


def typed(config, steps, smp=2, append="", timeout=60):
    """Boots with no script and types at the console as a person would: steps is a list
    of (pattern, keys); each waits until the console shows pattern (a regex, searched
    from where the previous one matched; None: no wait), then sends keys (bytes).
    Waiting for what the screen shows, never for a time, keeps it free of races. The
    last step should end the system (poweroff); a pattern not seen within the timeout
    ends the run, and the Boot's `stuck` says at which step."""
    args = [RUN, "--no-build", "--config", config, "--smp", str(smp), "--timeout", str(timeout)]
    line = " ".join(filter(None, (EXTRA_APPEND, append)))
    if line:
        args += ["--append", line]
    if BIOS:
        args += ["--bios", BIOS]
    p = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT)
    chunks = []
    lock = threading.Lock()

    def reader():
        for data in iter(lambda: p.stdout.read1(4096), b""):
            with lock:
                chunks.append(data)

    t = threading.Thread(target=reader, daemon=True)
    t.start()
    pos, stuck, deadline = 0, None, time.monotonic() + timeout
    for i, (pattern, keys) in enumerate(steps):
        while pattern is not None:
            with lock:
                text = b"".join(chunks).decode("utf-8", "replace").replace("\r", "")
            m = re.compile(pattern).search(text, pos)
            if m:
                pos = m.start()     # the next pattern may begin with what this one saw
                break
            if time.monotonic() > deadline or p.poll() is not None:
                stuck = (i, pattern)
                break
            time.sleep(0.02)
        if stuck:
            break
        p.stdin.write(keys)
        p.stdin.flush()
    if stuck:
        p.kill()
    try:
        p.wait(timeout=timeout + 30)
    except subprocess.TimeoutExpired:
        p.kill()
        p.wait()
    t.join(timeout=5)
    b = Boot(p.returncode, render(b"".join(chunks).decode("utf-8", "replace")), args)
    b.stuck = stuck
    if BOOTS is not None:
        BOOTS.append(b)
    return b


def cpulist(text):
    """The set of CPU numbers in a cpulist such as "0-1,3"."""
    out = set()
    for part in filter(None, text.strip().split(",")):
        lo, _, hi = part.partition("-")
        out.update(range(int(lo), int(hi or lo) + 1))
    return out


def sysfs(b, name):
    """Output of 'cat /sys/devices/system/cpu/NAME' from the transcript."""
    return b.output_of("cat /sys/devices/system/cpu/" + name).strip()


def make_dtb(smp, edit, path):
    """Dumps QEMU's own DTB for -smp SMP, applies edit(dts text) and compiles it."""
    raw = path + ".qemu"
    subprocess.run(["qemu-system-riscv64", "-M", "virt,dumpdtb=" + raw, "-smp", str(smp),
                    "-m", "128M", "-bios", "default", "-nographic"], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    dts = subprocess.run(["dtc", "-q", "-I", "dtb", "-O", "dts", raw], check=True,
                         stdout=subprocess.PIPE).stdout.decode()
    src = path + ".dts"
    with open(src, "w") as f:
        f.write(edit(dts))
    subprocess.run(["dtc", "-q", "-I", "dts", "-O", "dtb", "-o", path, src], check=True)
    return path


_states = {}


def hotplug_states(config):
    """{name: number} from the kernel's own /sys/devices/system/cpu/hotplug/states
    (booted once per configuration): tests name states, never number them."""
    if config not in _states:
        path = "/sys/devices/system/cpu/hotplug/states"
        b = boot(config, ["cat " + path], smp=1)
        got = {m.group(2): int(m.group(1)) for m in
               re.finditer(r"^\s*(\d+): (\S+)$", b.output_of("cat " + path), re.M)}
        if "online" not in got or "offline" not in got:
            raise Failure(f"{config}: no state list in {path}:\n{b.out[-2000:]}")
        _states[config] = got
    return _states[config]


SOAK_LINE = (r"soak: (?P<operations>\d+) operations, (?P<failed>\d+) failed; (?P<calls>\d+) cross-calls, "
             r"offline IPIs (?P<offline_ipis>\d+), raced offline (?P<raced>\d+); work queued "
             r"(?P<queued>\d+), executed (?P<executed>\d+), handed over (?P<handed_over>\d+); offline "
             r"CPUs not STOPPED (?P<not_stopped>\d+)")
TORTURE_LINES = (r"torture: (?P<attempts>\d+) attempts: (?P<ok>\d+) succeeded, (?P<injected>\d+) expected "
                 r"failures \(injected\), (?P<unexpected>\d+) unexpected; (?P<skipped>\d+) no-ops skipped; "
                 r"latency min (?P<min_ns>\d+) median (?P<median_ns>\d+) max (?P<max_ns>\d+) ns\n"
                 r"torture: (?P<affinity>\d+) affinity changes; (?P<calls>\d+) cross-calls, offline IPIs "
                 r"(?P<offline_ipis>\d+), raced offline (?P<raced>\d+); work queued (?P<queued>\d+), "
                 r"executed (?P<executed>\d+), handed over (?P<handed_over>\d+); offline CPUs not STOPPED "
                 r"(?P<not_stopped>\d+)")


def _counts(pattern, text):
    m = re.search(pattern, text)
    return {k: int(v) for k, v in m.groupdict().items()} if m else None


def soak_counts(text):
    """The counters of a 'hotplug soak' report line, by name; None if there is none."""
    return _counts(SOAK_LINE, text)


def torture_counts(text):
    """The counters of a 'hotplug torture' report, by name; None if there is none."""
    return _counts(TORTURE_LINES, text)
