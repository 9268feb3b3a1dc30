# SPDX-License-Identifier: BSD-2-Clause
"""Boot scenarios: CPU counts, boot hart lottery, maxcpus/nr_cpus, sparse hart ids,
malformed parameters."""
import os
import re
import subprocess
import tempfile

from harness import ROOT, Failure, boot, once, sysfs, make_dtb

MASKS = ["possible", "present", "online", "active", "offline"]


def cat_masks():
    return ["cat /sys/devices/system/cpu/" + m for m in MASKS]


def expect_all_online(config, smp, timeout=90):
    b = boot(config, cat_masks() + ["ipistorm 5"], smp=smp, timeout=timeout)
    b.expect_clean()
    want = "0" if smp == 1 else f"0-{smp - 1}"
    for m in ("possible", "present", "online", "active"):
        b.expect(sysfs(b, m) == want, f"{m} is {sysfs(b, m)!r}, expected {want!r}")
    b.expect(sysfs(b, "offline") == "", "offline should be empty")
    b.expect(len(b.lines(r"CPU\d+: hart \d+ online")) == smp - 1,
             "every secondary reports itself online")
    storm = b.output_of("ipistorm 5")
    b.expect("lost 0, refused 0, offline IPIs 0" in storm, storm)


def test_smp_1(config):
    """-smp 1: the boot CPU alone; masks are "0"."""
    expect_all_online(config, 1)


def test_smp_2(config):
    """-smp 2: both CPUs online and active; a cross-call storm loses nothing."""
    expect_all_online(config, 2)


def test_smp_4(config):
    """-smp 4: all online."""
    expect_all_online(config, 4)


def test_smp_8(config):
    """-smp 8: all online."""
    expect_all_online(config, 8)


def test_smp_64(config):
    """-smp 64: all 64 harts online (started at once, then waited for)."""
    expect_all_online(config, 64, timeout=240)


def test_boot_hart_lottery(config):
    """At least 20 boots at -smp 4: each boots on whatever hart OpenSBI picked, which
    becomes CPU0 (cpu0/hart_id says so) with all CPUs online. The lottery favours hart 0
    (about 3 boots in 4 here), so boots go on, up to 60, until a second hart has won."""
    harts = []
    while len(harts) < 20 or (len(set(harts)) < 2 and len(harts) < 60):
        b = boot(config, ["cat /sys/devices/system/cpu/cpu0/hart_id",
                          "cat /sys/devices/system/cpu/online"], smp=4)
        b.expect_clean()
        m = re.search(r"booting on hart (\d+)", b.out)
        b.expect(m is not None, "no 'booting on hart' line")
        b.expect(b.output_of("cat /sys/devices/system/cpu/cpu0/hart_id").strip() == m.group(1),
                 "cpu0/hart_id must be the boot hart")
        b.expect(sysfs(b, "online") == "0-3", "all CPUs online")
        harts.append(int(m.group(1)))
    print(f"  boot harts over {len(harts)} boots: " +
          ", ".join(f"hart {h}: {harts.count(h)}" for h in sorted(set(harts))))
    if len(set(harts)) < 2:
        raise AssertionError(f"{len(harts)} boots all on hart {harts[0]}")


def test_maxcpus(config):
    """maxcpus=2 at -smp 4: CPUs 0-1 online, 2-3 present but offline; the unused harts
    are quietened through the firmware without complaint."""
    b = boot(config, cat_masks(), smp=4, append="maxcpus=2")
    b.expect_clean()
    b.expect(sysfs(b, "present") == "0-3", "present 0-3")
    b.expect(sysfs(b, "online") == "0-1", "online 0-1")
    b.expect(sysfs(b, "active") == "0-1", "active 0-1")
    b.expect(sysfs(b, "offline") == "2-3", "offline 2-3")
    b.expect(not b.lines(r"hart \d+: (cannot be started|did not stop)"),
             "quiescing the offline harts failed")


def test_nr_cpus(config):
    """nr_cpus=2 at -smp 4: only two possible CPUs; the rest are ignored with a warning."""
    b = boot(config, cat_masks(), smp=4, append="nr_cpus=2")
    b.expect_clean()
    b.expect(sysfs(b, "possible") == "0-1", "possible 0-1")
    b.expect(sysfs(b, "online") == "0-1", "online 0-1")
    b.expect(b.lines(r"2 hart\(s\) beyond the limit of 2 CPUs are ignored"), "warning missing")


def test_sparse_hart_ids(config):
    """A DTB (QEMU's own for -smp 8, edited with dtc) in which only harts 0, 2, 5, 7 are
    "okay" and the rest "disabled": four CPUs, numbered in DTB order after the boot
    hart, with those hart ids. (Disabled, not deleted: the interrupt controllers refer
    to every hart's node, and OpenSBI then leaves the disabled harts alone.)"""
    keep = {0, 2, 5, 7}

    def edit(dts):
        def disable(m):
            hart = int(m.group(1))
            return m.group(0) if hart in keep else m.group(0).replace('"okay"', '"disabled"')
        return re.sub(r"\t\tcpu@(\d+) \{.*?\n\t\t\};\n", disable, dts, flags=re.S)

    with tempfile.TemporaryDirectory() as d:
        dtb = make_dtb(8, edit, d + "/sparse.dtb")
        cmds = cat_masks() + [f"cat /sys/devices/system/cpu/cpu{i}/hart_id" for i in range(4)]
        b = boot(config, cmds, smp=8, dtb=dtb)
    b.expect_clean()
    b.expect(sysfs(b, "online") == "0-3", "four CPUs online")
    ids = [int(b.output_of(f"cat /sys/devices/system/cpu/cpu{i}/hart_id")) for i in range(4)]
    boot_hart = int(re.search(r"booting on hart (\d+)", b.out).group(1))
    b.expect(ids[0] == boot_hart, "CPU0 is the boot hart")
    b.expect(set(ids) == keep, f"hart ids {ids}")
    b.expect(ids[1:] == sorted(ids[1:]), "secondaries follow DTB order")


def test_bad_boot_parameters(config):
    """Malformed parameters are each reported in one line and ignored; boot goes on
    with all CPUs."""
    b = boot(config, ["cat /sys/devices/system/cpu/online"], smp=4,
             append="maxcpus=abc loglevel=99 nr_cpus=0 frobnicate")
    b.expect_clean()
    b.expect(b.lines(r"bad boot parameter 'maxcpus=abc': not a number"), "maxcpus error")
    b.expect(b.lines(r"bad boot parameter 'loglevel=99': out of range 0-7"), "loglevel error")
    b.expect(b.lines(r"bad boot parameter 'nr_cpus=0': out of range"), "nr_cpus error")
    b.expect(b.lines(r'Unknown kernel command line parameter "frobnicate"'), "unknown param")
    b.expect(sysfs(b, "online") == "0-3", "all CPUs online despite the bad parameters")


def test_unterminated_quote(config):
    """A command line with an unterminated quote: the error names it, boot goes on, and a
    script from the initrd still runs."""
    with tempfile.NamedTemporaryFile("w", suffix=".sh") as f:
        f.write("cat /sys/devices/system/cpu/online\npoweroff\n")
        f.flush()
        b = boot(config, None, smp=2, append='loglevel=7 shell.run="ps', script=f.name)
    b.expect_clean()
    b.expect(b.lines(r"command line: unterminated quote"), "quote error")
    b.expect(sysfs(b, "online") == "0-1", "boot went on")


def test_loglevel(config):
    """loglevel=3 keeps info lines off the console; dmesg still has them."""
    b = boot(config, ["dmesg"], smp=2, append="loglevel=3")
    b.expect_clean()
    before_shell = b.out.split("hartplug# dmesg")[0]
    b.expect("smp: Brought up" not in before_shell, "info line printed at loglevel=3")
    b.expect("smp: Brought up 2 of 2 CPUs" in b.output_of("dmesg", raw=True), "dmesg keeps it")


def test_hart_that_never_arrives(config):
    """A DTB with 5 harts on a 4-hart machine: hart 4 is started but never arrives; it is
    reported with its HSM status after the timeout and skipped, and boot goes on."""
    with tempfile.TemporaryDirectory() as d:
        dtb = make_dtb(5, lambda dts: dts, d + "/five.dtb")
        b = boot(config, cat_masks(), smp=4, dtb=dtb)
    b.expect_clean()
    b.expect(b.lines(r"CPU4 \(hart 4\): did not come online within \d+ ms \(HSM status \w+\); skipped"),
             "timeout report")
    b.expect(sysfs(b, "online") == "0-3", "the four real harts are online")
    b.expect(sysfs(b, "present") == "0-4", "the dead hart stays present")
    b.expect(sysfs(b, "offline") == "4", "and offline")


def test_more_harts_than_nr_cpus(config):
    """-smp 70 with a compile-time maximum of 64 CPUs: 64 online, the rest ignored with a
    warning and quietened through the firmware."""
    b = boot(config, cat_masks(), smp=70, timeout=300)
    b.expect_clean()
    b.expect(b.lines(r"6 hart\(s\) beyond the limit of 64 CPUs are ignored"), "warning")
    b.expect(sysfs(b, "online") == "0-63", "64 CPUs online")
    b.expect(not b.lines(r"hart \d+: (cannot be started|did not stop)"),
             "quietening the ignored harts failed")


IPA_CLONE = re.compile(r"(\.(isra|constprop|part|lto_priv|cold)(\.\d+)?)+$")


def defined_symbols(path):
    """Names an object or image defines (text, data, rodata, bss; global or local),
    leaving out the compiler's own numbered locals (__func__.0, CSWTCH.12, .L labels),
    which every file may have."""
    nm = subprocess.run(["riscv64-unknown-elf-nm", path], check=True, stdout=subprocess.PIPE)
    # Link-time optimization renames what it specializes (smp_call_function_many.isra.0):
    # still the same function.
    names = {IPA_CLONE.sub("", p[2]) for p in (l.split() for l in nm.stdout.decode().splitlines())
             if len(p) == 3 and p[1] in "TtDdRrBbSs"}
    return {n for n in names if "." not in n}


@once
def test_takedown_compiled_out():
    """The variant split, proved on the images: every symbol that the take-down files
    (kernel/hotplug/takedown.c, arch/riscv/hotplug.c) define, except the two functions
    both variants provide (variant.h), is absent from the hotplug=false image, and each
    global one is in the hotplug image; what an undead CPU still needs (stop_machine,
    the rollback entry) is in both."""
    # The variant's files are compiled apart, without -flto (arch/riscv/meson.build).
    objs = os.path.join(ROOT, "build", "hotplug", "arch", "riscv", "libvariant.a.p")
    files = {"takedown": [f for f in os.listdir(objs) if f.endswith("kernel_hotplug_takedown.c.o")],
             "arch": ["hotplug.c.o"]}
    both = {"cpuhp_rollback_failed_up", "cpuhp_shutdown_prepare"}
    takedown, globals_ = set(), set()
    for what, names in files.items():
        if len(names) != 1:
            raise Failure(f"object of the {what} take-down file not found in {objs}: {names}")
        path = os.path.join(objs, names[0])
        takedown |= defined_symbols(path) - both
        nm = subprocess.run(["riscv64-unknown-elf-nm", "-g", "--defined-only", path], check=True,
                            stdout=subprocess.PIPE).stdout.decode()
        globals_ |= {l.split()[-1] for l in nm.splitlines() if l.strip()} - both
    if not {"take_cpu_down", "takedown_cpu", "cpuhp_take_down", "arch_cpu_stop_self"} <= takedown:
        raise Failure(f"the take-down objects define {sorted(takedown)}: not the take-down")
    images = {c: defined_symbols(os.path.join(ROOT, "build", c, "arch", "riscv", "hartplug.elf"))
              for c in ("hotplug", "nohotplug")}
    if globals_ - images["hotplug"]:
        missing = sorted(globals_ - images["hotplug"])
        raise Failure(f"take-down symbols missing from the hotplug image: {missing}")
    if takedown & images["nohotplug"]:
        present = sorted(takedown & images["nohotplug"])
        raise Failure(f"take-down symbols in the hotplug=false image: {present}")
    # stop_machine itself is inlined into its callers under -flto; its stoppers' thread
    # function, started through a pointer, is there whenever stop_machine is.
    needed = {"stopper_thread_fn", "cpuhp_rollback_failed_up", "smp_call_function_many"}
    for config, syms in images.items():
        if needed - syms:
            raise Failure(f"{config} image lacks {sorted(needed - syms)}")
    print(f"  {len(takedown)} take-down symbols, none in the hotplug=false image")


def test_stale_start_address(config):
    """OpenSBI 1.1 marks a hart STARTING before it writes the new opaque and then the new
    start address, so a hart that polls meanwhile can leave with its old address: the
    kernel's first entry (never started before), the stop stub, or a bring-up's entry
    with the stop stub's opaque (0). sbi.stale_start=reset|quiesce starts every
    bring-up at the first two on purpose, =secondary every start into the stop stub at
    the third (at boot beyond maxcpus, and the bench's HSM floor after CPU3 was online;
    then the boot CPU goes offline and back, its hart found like the others):
    each CPU still comes up as itself, nothing is inconsistent, and a bad value is
    reported. model/hsm_start.pml checks the same."""
    cpu = "/sys/devices/system/cpu"
    for entry in ("reset", "quiesce", "secondary"):
        cmds = [f"cat {cpu}/online", f"echo 0 > {cpu}/cpu1/online", f"echo 1 > {cpu}/cpu1/online",
                f"echo 1 > {cpu}/cpu3/online", f"cat {cpu}/online", "hotplug check"]
        if config == "hotplug":
            # The bench's HSM floor; and the boot CPU's own hart, found like any other.
            cmds += ["hotplug bench 3", f"echo 1 > {cpu}/cpu3/online", f"echo 0 > {cpu}/cpu0/online",
                     f"echo 1 > {cpu}/cpu0/online", f"cat {cpu}/online", "hotplug check"]
        b = boot(config, cmds, smp=4, append=f"sbi.stale_start={entry} maxcpus=3")
        b.expect_clean()
        b.expect(b.output_of(f"cat {cpu}/online").strip() == "0-2", f"{entry}: boot")
        want = "0-3" if config == "hotplug" else "0-2"
        b.expect(b.output_of(f"cat {cpu}/online", 1).strip() == want, f"{entry}: after onlines")
        b.expect(b.output_of("hotplug check").strip() == "check: 4 CPUs, 0 inconsistencies",
                 b.output_of("hotplug check"))
        b.expect(not b.lines(r"did not stop|failed to start"), f"{entry}: a hart lost")
        if config == "hotplug":
            b.expect(b.lines(r"bench: cycle/floor"), f"{entry}: bench\n" + b.output_of("hotplug bench 3"))
            b.expect(b.output_of(f"cat {cpu}/online", 2).strip() == "0-3", f"{entry}: after the bench")
            b.expect(b.output_of("hotplug check", 1).strip() == "check: 4 CPUs, 0 inconsistencies",
                     b.output_of("hotplug check", 1))
        b.expect(len(b.lines(r"booting on hart")) == 1, f"{entry}: a second boot CPU")
    b = boot(config, [f"cat {cpu}/online"], smp=2, append="sbi.stale_start=sideways")
    b.expect_clean()
    b.expect(b.lines(r"bad boot parameter 'sbi.stale_start': reset, quiesce or secondary"), "reported")
