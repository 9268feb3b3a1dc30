# SPDX-License-Identifier: BSD-2-Clause
"""tools/hplog (issue: comparing teardown logs): diff verdicts on real pairs of boots
(nosmt on SMT, an injected failure at every state, both configurations), show and diff
on a real Linux 6.12 trace, and unit tests on crafted, garbled and truncated logs."""
import os
import random
import re
import subprocess
import tempfile

from harness import ROOT, Failure, boot, once

CPU = "/sys/devices/system/cpu"
HPLOG = os.path.join(ROOT, "build", "hotplug", "tools", "hplog")
LINUX = os.path.join(ROOT, "tests", "data", "linux-6.12-riscv", "cpu1-offline-online.trace")


def hplog(*args):
    p = subprocess.run([HPLOG] + list(args), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       timeout=60)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


def expect(cond, what):
    if not cond:
        raise Failure(what)


def saved(d, name, text):
    path = os.path.join(d, name)
    with open(path, "w") as f:
        f.write(text)
    return path


def pair(d, tag, smp, append, smt=None, cmds=(), icount=False):
    """Boots the same scenario in both configurations; returns the two log paths."""
    paths = []
    for config in ("hotplug", "nohotplug"):
        b = boot(config, list(cmds), smp=smp, smt=smt, append="cpuhp.trace=1 " + append,
                 icount=icount)
        b.expect(b.rc == 0, f"{config} {append}: exit {b.rc}")
        paths.append(saved(d, f"{tag}-{config}.log", b.out))
    return paths


def cancelled_harts(text):
    """Harts whose bring-up nosmt cancelled, from the log's own lines."""
    hart = {int(m.group(1)): int(m.group(2)) for m in
            re.finditer(r"cpuhp_hsm:\s+cpu: (\d+) hart: (\d+)", text)}
    return {hart[int(c)] for c in re.findall(r"smt: CPU(\d+) \(core \d+ thread \d+\) booted once", text)}


@once
def test_diff_nosmt_pairs():
    """nosmt on --smt 2 at -smp 4 and -smp 8, booted under --icount so both runs boot
    hart 0 (the verdict must not hang on the boot-hart lottery):
    diff of the full and the minimal log is 'as expected' (0), with one CPU rolled back
    and left online-inactive per secondary thread; the same in the other order; a log
    against itself is identical."""
    for smp in (4, 8):
        nosmt_pair(smp)


def nosmt_pair(smp):
    with tempfile.TemporaryDirectory() as d:
        full, minimal = pair(d, "nosmt", smp, "nosmt", smt=2, icount=True)
        rc, out, err = hplog("diff", full, minimal)
        expect(rc == 0, f"diff full minimal: rc {rc}\n{out}{err}")
        m = re.search(r"verdict: as expected for hotplug=true vs hotplug=false: (\d+) CPUs identical, "
                      r"(\d+) rolled back.*?(?:\(boot harts differ: (\d+) compared by outcome "
                      r"only\))?$", out, re.M)
        expect(m is not None, out)
        identical, split, skipped = int(m.group(1)), int(m.group(2)), int(m.group(3) or 0)
        expect(identical + split + skipped == smp, out)
        # Harts cancelled in both runs are the ones the verdict counts as rolled back.
        both = cancelled_harts(open(full).read()) & cancelled_harts(open(minimal).read())
        expect(split == len(both) and split >= smp // 2 - 1, f"{sorted(both)} cancelled in both\n{out}")
        rc, out, _ = hplog("diff", minimal, full)
        expect(rc == 0 and "verdict: as expected for hotplug=true vs hotplug=false" in out, out)
        rc, out, _ = hplog("diff", full, full)
        expect(rc == 0 and f"identical on all {smp} CPUs" in out, out)
        # The same scenario without nosmt is not what the full log shows: not as expected.
        b = boot("nohotplug", [], smp=smp, smt=2, append="cpuhp.trace=1", icount=True)
        plain = saved(d, "plain.log", b.out)
        rc, out, _ = hplog("diff", full, plain)
        expect(rc == 1 and "verdict: NOT as expected" in out, f"rc {rc}\n{out}")


def relabel_harts(text, a, b):
    """The same log as if the firmware had numbered harts @a and @b the other way round
    (so another hart booted): swaps them where the log names harts."""
    swap = {str(a): str(b), str(b): str(a)}
    text = re.sub(r"(cpuhp_hsm:\s+cpu: \d+ hart: )(\d+)",
                  lambda m: m.group(1) + swap.get(m.group(2), m.group(2)), text)
    return re.sub(r"(booting on hart )(\d+)", lambda m: m.group(1) + swap.get(m.group(2), m.group(2)),
                  text)


@once
def test_diff_inconclusive_without_evidence():
    """The verdict needs evidence. nosmt at -smp 2 --smt 2 cancels hart 1 in the full
    build; against a run without nosmt it is NOT as expected (1). Had the other run
    booted on hart 1 (relabelled here), hart 1 could not be compared, and the verdict is
    inconclusive (3), never "as expected"; the boot CPU of one run that came up plainly
    in the other still counts as the same outcome."""
    with tempfile.TemporaryDirectory() as d:
        b = boot("hotplug", [], smp=2, smt=2, append="nosmt cpuhp.trace=1", icount=True)
        b.expect_clean()
        full = saved(d, "full.log", b.out)
        b = boot("nohotplug", [], smp=2, smt=2, append="cpuhp.trace=1", icount=True)
        b.expect_clean()
        plain_text = b.out
        rc, out, _ = hplog("diff", full, saved(d, "plain.log", plain_text))
        expect(rc == 1 and "verdict: NOT as expected" in out, f"same boot hart: rc {rc}\n{out}")
        rc, out, _ = hplog("diff", full, saved(d, "other-hart.log", relabel_harts(plain_text, 0, 1)))
        expect(rc == 3 and "verdict: inconclusive: 1 CPUs could not be compared" in out and
               "hart 0 (A cpu0, B cpu1): the boot CPU of run A, brought up plainly in run B" in out,
               f"other boot hart: rc {rc}\n{out}")


def failable_states():
    b = boot("hotplug", [f"cat {CPU}/hotplug/states"], smp=2)
    st = {int(m.group(1)): m.group(2) for m in
          re.finditer(r"^\s*(\d+): (\S+)$", b.output_of(f"cat {CPU}/hotplug/states"), re.M)}
    by = {n: s for s, n in st.items()}
    bringup, teardown = by["cpu:bringup"], by["cpu:teardown"]
    return st, by, [s for s in sorted(st) if 0 < s < max(st) and not bringup < s < teardown
                    and st[s] != "ap:online-idle"]


@once
def test_boot_injection_every_state():
    """cpuhp.fail=1:STATE at boot for every state that may fail, both configurations:
    CPU1 ends offline (full build; minimal build for PREPARE states and BRINGUP_CPU,
    which fail before the CPU runs) or online but inactive with the one-line report
    (minimal build, states the CPU reached itself); cpu:teardown has no startup, so the
    bring-up succeeds. hplog diff --by cpu of each pair says 'as expected'."""
    st, by, states = failable_states()
    bringup = by["cpu:bringup"]
    cmds = [f"cat {CPU}/online", f"cat {CPU}/active", f"cat {CPU}/cpu1/hsm_status", "hotplug check"]
    with tempfile.TemporaryDirectory() as d:
        for s in states:
            logs = {}
            for cfg in ("hotplug", "nohotplug"):
                b = boot(cfg, cmds, smp=4, append=f"cpuhp.trace=1 cpuhp.fail=1:{s}")
                b.expect_clean()
                online = b.output_of(f"cat {CPU}/online").strip()
                active = b.output_of(f"cat {CPU}/active").strip()
                hsm = b.output_of(f"cat {CPU}/cpu1/hsm_status").strip()
                where = f"{cfg} fail=1:{s} ({st[s]}): "
                b.expect(b.output_of("hotplug check").strip() == "check: 4 CPUs, 0 inconsistencies",
                         where + b.output_of("hotplug check"))
                if st[s] == "cpu:teardown":
                    b.expect(online == "0-3" and active == "0-3", where + f"{online}/{active}")
                elif cfg == "hotplug" or s <= bringup:
                    b.expect(online == "0,2-3" and active == "0,2-3" and hsm == "STOPPED",
                             where + f"online {online} active {active} hsm {hsm}")
                else:
                    b.expect(online == "0-3" and active == "0,2-3" and hsm == "STARTED",
                             where + f"online {online} active {active} hsm {hsm}")
                    b.expect(b.lines(rf"CPU1: bring-up failed at {re.escape(st[s])} \(EAGAIN\): left "
                                     r"online, inactive \(hotplug disabled\)"), where + "report")
                logs[cfg] = saved(d, f"{s}-{cfg}.log", b.out)
            rc, out, err = hplog("diff", "--by", "cpu", logs["hotplug"], logs["nohotplug"])
            expect(rc == 0 and "verdict: as expected for hotplug=true vs hotplug=false" in out,
                   f"fail=1:{s} ({st[s]}): rc {rc}\n{out}{err}")
            split = s > bringup and st[s] != "cpu:teardown"
            expect(("rolled back fully" in out and re.search(r"(\d+) rolled back", out).group(1)
                    == ("1" if split else "0")), f"fail=1:{s}: {out}")


@once
def test_linux_trace():
    """A real Linux 6.12 trace (cpu1 offline then online): show reads every line into a
    table; diff against our own offline/online of cpu1 finds the callbacks both kernels
    have in the same order (0)."""
    rc, out, err = hplog("show", LINUX)
    expect(rc == 0, f"show: {rc} {err}")
    lines = [l for l in open(LINUX) if "cpuhp_enter" in l or "cpuhp_multi_enter" in l]
    rows = [l for l in out.splitlines() if re.match(r"\s+\d+\.\d+\s+cpu\d+\s+(up|down)\s", l)]
    expect(len(rows) == len(lines), f"{len(rows)} rows for {len(lines)} enter lines")
    expect("takedown_cpu" in out and "(Linux ftrace)" in out, out[:300])
    b = boot("hotplug", [f"echo 0 > {CPU}/cpu1/online", f"echo 1 > {CPU}/cpu1/online"], smp=4,
             append="cpuhp.trace=1")
    b.expect_clean()
    with tempfile.TemporaryDirectory() as d:
        ours = saved(d, "ours.log", b.out)
        rc, out, err = hplog("diff", LINUX, ours)
        expect(rc == 0 and "verdict: as expected: the callbacks both kernels have run in the same "
               "order" in out, f"rc {rc}\n{out}{err}")
        # Swap two callbacks in the Linux trace: the order check must notice.
        text = open(LINUX).read()
        swapped = text.replace("(sched_cpu_deactivate)", "(XX)").replace(
            "(sched_cpu_wait_empty)", "(sched_cpu_deactivate)").replace("(XX)", "(sched_cpu_wait_empty)")
        rc, out, _ = hplog("diff", saved(d, "swapped.trace", swapped), ours)
        expect(rc == 1 and "NOT as expected" in out, f"swapped: rc {rc}\n{out}")


ENTER = "[    0.100000] cpu0: cpuhp_enter: cpu: 0001 target:  33 step:   1 (smpboot_create_threads)\n"
EXIT = "[    0.100100] cpu0: cpuhp_exit:  cpu: 0001  state:   1 step:   1 ret: 0\n"


@once
def test_garbled_logs():
    """Unreadable input gives exit 2 and a message naming the file (and line), never a
    crash: missing file, empty file, no cpuhp lines, malformed numbers, an exit with no
    enter, an enter cut off before its exit, a last line cut mid-event, NUL bytes in a
    kernel record (NUL bytes elsewhere, as in a firmware banner, are skipped), and
    200 random mutations of a real log (each 0, 1 or 2, never a signal)."""
    with tempfile.TemporaryDirectory() as d:
        cases = {
            "empty": "",
            "no-events": "hello\nworld\n",
            "bad-number": ENTER.replace("step:   1", "step:   x"),
            "bad-symbol": ENTER.replace("(smpboot_create_threads)", "()"),
            "exit-only": EXIT,
            "enter-only": ENTER,
            "cut-line": ENTER + EXIT[:40],
            "mismatch": ENTER + EXIT.replace("step:   1", "step:   2"),
            "nul": ENTER.replace("target:", "tar\0get:") + EXIT,
            "nul-record": ENTER + "[    0.100050] cpu0: CPU1: \0hart 1 online\n" + EXIT,
            "huge-cpu": ENTER.replace("cpu: 0001", "cpu: 99999"),
        }
        for name, text in cases.items():
            rc, out, err = hplog("show", saved(d, name, text))
            expect(rc == 2 and err.startswith("hplog: ") and name in err, f"{name}: rc {rc} {err!r}")
        rc, _, err = hplog("show", os.path.join(d, "missing"))
        expect(rc == 2 and "cannot open" in err, f"missing: {err}")
        # NUL bytes outside kernel records (OpenSBI v1.3's banner has one) are skipped.
        banner = "OpenSBI v1.3\n   ____    \0 _____ ____ _____\n" + "\0\0\0\n"
        rc, out, err = hplog("show", saved(d, "banner", banner + ENTER + EXIT))
        expect(rc == 0 and "smpboot_create_threads" in out, f"NUL in the banner: {rc} {err}")
        rc, out, err = hplog("show", saved(d, "ok", ENTER + EXIT))
        expect(rc == 0 and "smpboot_create_threads" in out, f"minimal valid log: {rc} {err}")
        for args in ((), ("show",), ("diff", "a"), ("frob", "a")):
            expect(hplog(*args)[0] == 2, f"usage {args}")
        real = open(LINUX, "rb").read()
        rnd = random.Random(7)
        for i in range(200):
            data = bytearray(real)
            for _ in range(rnd.randint(1, 20)):
                pos = rnd.randrange(len(data))
                data[pos] = rnd.choice(b"0123456789 :()-\n\x00\xff" + bytes([rnd.randrange(256)]))
            path = os.path.join(d, f"mut{i}")
            with open(path, "wb") as f:
                f.write(data[:rnd.randrange(len(data))] if i % 5 == 0 else data)
            rc = hplog("show", path)[0]
            expect(rc in (0, 2), f"mutation {i}: rc {rc} (kept in {path})")
            rc = hplog("diff", path, LINUX)[0]
            expect(rc in (0, 1, 2), f"mutation {i} diff: rc {rc}")


@once
def test_injected_failure_in_linux_trace():
    """A Linux trace has no line for the step an injection failed (it fails before the
    trace point): show marks where the target turns round mid-operation."""
    lines = open(LINUX).read().splitlines(True)
    up = [l for l in lines if "init-1" in l]
    # Keep the online up to step 40, then what Linux prints for the rollback to 0.
    head = [l for l in up[:10]]
    rollback = [
        "            init-1       [000] .....     7.937900: cpuhp_enter: cpu: 0001 target:   0 step:  31 (page_alloc_cpu_dead)\n",
        "            init-1       [000] .....     7.937910: cpuhp_exit:  cpu: 0001  state:  30 step:  31 ret: 0\n",
    ]
    with tempfile.TemporaryDirectory() as d:
        rc, out, err = hplog("show", saved(d, "inj.trace", "".join(head + rollback)))
        expect(rc == 0, f"rc {rc} {err}")
        expect(re.search(r"-- target 236 -> 0: the step after 40 failed; rolling back --", out), out)
        rc, out, _ = hplog("show", LINUX)
        expect("rolling back" not in out, "a plain offline/online is no rollback")


# ---- hplog timeline (issue 13) ----

def png_pixels(path):
    """(width, height, rows of (r, g, b) tuples) of an 8-bit RGB or RGBA PNG, with the
    standard library alone (zlib and the five row filters)."""
    import struct
    import zlib
    with open(path, "rb") as f:
        data = f.read()
    expect(data[:8] == b"\x89PNG\r\n\x1a\n", f"{path}: not a PNG")
    pos, idat, width = 8, b"", 0
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", body)
            expect(depth == 8 and colour in (2, 6) and interlace == 0, f"{path}: PNG kind {depth}/{colour}")
            bpp = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    raw, rows, prev = zlib.decompress(idat), [], bytearray(width * bpp)
    stride = width * bpp
    for y in range(height):
        ftype, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b, c = prev[i], prev[i - bpp] if i >= bpp else 0
            if ftype == 1:
                line[i] = (line[i] + a) & 255
            elif ftype == 2:
                line[i] = (line[i] + b) & 255
            elif ftype == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif ftype == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append([tuple(line[x * bpp:x * bpp + 3]) for x in range(width)])
        prev = line
    return width, height, rows


@once
def test_timeline():
    """hplog timeline of the nosmt pair (full build above, minimal below, one time
    scale): the SVG is well-formed XML with exactly one bar per callback invocation of
    each log and one lane per CPU that has events; the HTML puts each bar's trace line
    in its tooltip; a headless Chromium (Debian's chromium) renders the HTML to a PNG
    that is not blank and shows bars of the drawing's colours in every lane, at the
    lane's place; a bad output name and an unreadable log are refused (exit 2)."""
    import shutil
    import xml.etree.ElementTree as ET
    with tempfile.TemporaryDirectory() as d:
        full, minimal = pair(d, "nosmt", 4, "nosmt", smt=2, icount=True)
        svg, html, png = (os.path.join(d, "t." + x) for x in ("svg", "html", "png"))
        for out in (svg, html):
            rc, _, err = hplog("timeline", full, minimal, "-o", out)
            expect(rc == 0, f"timeline -o {out}: rc {rc} {err}")
        root = ET.parse(svg).getroot()
        ns = "{http://www.w3.org/2000/svg}"
        bars = [e for e in root.iter(ns + "rect") if e.get("class") == "bar"]
        lanes = [e for e in root.iter(ns + "g") if e.get("class") == "lane"]
        for run, path in enumerate((full, minimal)):
            text = open(path).read()
            calls = len(re.findall(r"cpuhp_(?:multi_)?enter:", text))
            got = sum(1 for b in bars if b.get("data-run") == str(run))
            expect(got == calls, f"run {run}: {got} bars for {calls} callbacks")
            cpus = {int(c) for c in re.findall(r"cpuhp_\w+:\s+cpu: (\d+)", text)}
            drawn = {int(g.get("data-cpu")) for g in lanes if g.get("data-run") == str(run)}
            expect(drawn == cpus, f"run {run}: lanes {sorted(drawn)}, CPUs in the log {sorted(cpus)}")
        page = open(html).read()
        first = re.search(r"^.*cpuhp_enter: cpu: 0001 .*$", open(full).read(), re.M).group(0)
        expect(first.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") in page,
               "the HTML does not carry the trace line in a tooltip")
        chromium = shutil.which("chromium")
        expect(chromium, "chromium is not installed (tools/test installs it)")
        height = int(root.get("height"))
        p = subprocess.run([chromium, "--headless", "--disable-gpu", "--no-sandbox", "--hide-scrollbars",
                            "--force-device-scale-factor=1", f"--window-size={root.get('width')},{height}",
                            f"--screenshot={png}", "file://" + html],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=120)
        expect(os.path.exists(png), "chromium wrote no screenshot: " + p.stdout.decode()[-500:])
        width, h, rows = png_pixels(png)
        expect((width, h) == (int(root.get("width")), height), f"screenshot {width}x{h}")
        def rgb(c):
            return tuple(int(c[i:i + 2], 16) for i in (1, 3, 5))
        expect(len({px for row in rows for px in row}) > 2, "the screenshot is blank")
        for g in lanes:
            # What the lane holds (its bars' fills, its ticks' strokes) shows in its band.
            drawn = {rgb(e.get("fill")) for e in g.iter(ns + "rect") if e.get("class") == "bar"}
            drawn |= {rgb(e.get("stroke")) for e in g.iter(ns + "line")}
            y = int(g.get("data-y"))
            band = {px for row in rows[y:y + 26] for px in row}
            expect(drawn and band & drawn,
                   f"nothing of the lane of run {g.get('data-run')} cpu {g.get('data-cpu')} at y {y}")
        # Linux's ftrace text draws the same way: a bar per cpuhp_enter line.
        rc, _, err = hplog("timeline", LINUX, "-o", svg)
        linux_bars = [e for e in ET.parse(svg).getroot().iter(ns + "rect") if e.get("class") == "bar"]
        expect(rc == 0 and len(linux_bars) == len(re.findall(r"cpuhp_(?:multi_)?enter:", open(LINUX).read())),
               f"Linux trace: rc {rc} {err}, {len(linux_bars)} bars")
        rc, _, err = hplog("timeline", full, "-o", os.path.join(d, "t.png"))
        expect(rc == 2 and "must end in .svg or .html" in err, f"bad output name: rc {rc} {err}")
        rc, _, err = hplog("timeline", os.path.join(d, "missing.log"), "-o", svg)
        expect(rc == 2, f"unreadable log: rc {rc} {err}")
