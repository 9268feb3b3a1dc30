# SPDX-License-Identifier: BSD-2-Clause
"""Booting the way a board does (issue 14): OpenSBI, then U-Boot in S-mode (Debian's
u-boot-qemu, the qemu-riscv64_smode build), which takes hartplug's flat binary by its
RISC-V Linux Image header with booti and hands over its own device tree; the hotplug
scenario and hsmtest's checks run there."""
import os
import re
import select
import struct
import subprocess
import time

from harness import ROOT, Failure, bundled_firmware, only
from test_hsmtest import KNOWN_1_1, check_opensbi_1_1, checks, details_of

UBOOT = "/usr/lib/u-boot/qemu-riscv64_smode/u-boot.bin"
LOAD = 0x84000000                  # U-Boot's kernel_addr_r on QEMU virt


def image(config, name="hartplug"):
    return os.path.join(ROOT, "build", config, "arch", "riscv", name + ".bin")


class Console:
    """QEMU's serial console through pipes: wait for text, type lines."""

    def __init__(self, args):
        self.p = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  stderr=subprocess.STDOUT)
        self.out = b""

    def wait_for(self, text, seconds):
        end = time.time() + seconds
        while time.time() < end:
            ready, _, _ = select.select([self.p.stdout], [], [], 0.2)
            if ready:
                data = os.read(self.p.stdout.fileno(), 4096)
                if not data:
                    return False
                self.out += data
                if text in self.out:
                    return True
        return False

    def type(self, line):
        self.p.stdin.write(line.encode() + b"\n")
        self.p.stdin.flush()

    def finish(self, seconds):
        self.wait_for(b"\0never", seconds)
        try:
            self.p.wait(5)
        except subprocess.TimeoutExpired:
            self.p.kill()
            self.p.wait()
        return self.p.returncode, self.out.decode("utf-8", "replace")


def expect(cond, what):
    if not cond:
        raise Failure(what)


def test_image_header(config):
    """hartplug.bin and hartplug-hsmtest.bin begin with the RISC-V Linux Image header: a
    jump over it, text offset 2 MiB, an image size covering the file and its .bss,
    version 0.2, both magic numbers."""
    for name in ("hartplug", "hartplug-hsmtest"):
        with open(image(config, name), "rb") as f:
            head, size = f.read(64), os.path.getsize(image(config, name))
        code0, _, offset, isize, flags, version = struct.unpack("<IIQQQI", head[:36])
        expect(code0 & 0x7f == 0x6f and head[0x30:0x38] == b"RISCV\0\0\0" and head[0x38:0x3c] == b"RSC\x05",
               f"{name}: header {head.hex()}")
        expect(offset == 0x200000 and isize >= size and flags == 0 and version == 2,
               f"{name}: text_offset {offset:#x}, image_size {isize}, file {size}, flags {flags}, "
               f"version {version}")


@only("hotplug")
@bundled_firmware
def test_booti_through_uboot(config):
    """OpenSBI -> U-Boot (S-mode) -> booti of hartplug-hsmtest.bin (the kernel with
    hsmtest) with U-Boot's device tree and bootargs: the kernel boots on the hart U-Boot
    ran on, the harts U-Boot never started come up (maxcpus=2) or stay stopped for
    hsmtest, CPU1 goes offline and back, hotplug check is clean, hsm test finds no
    deviation but OpenSBI 1.1's own (test_hsmtest.py's check_opensbi_1_1), poweroff ends QEMU
    with 0; no BUG or WARNING."""
    expect(os.path.exists(UBOOT), f"{UBOOT} is missing (tools/test installs u-boot-qemu)")
    cpu = "/sys/devices/system/cpu"
    cmds = [f"echo 0 > {cpu}/cpu1/online", f"echo 1 > {cpu}/cpu1/online", f"cat {cpu}/online",
            "hotplug check", "hsm test quick", "poweroff"]
    c = Console(["qemu-system-riscv64", "-M", "virt", "-smp", "4", "-m", "128M", "-nographic", "-bios",
                 "default", "-kernel", UBOOT, "-device",
                 f"loader,file={image(config, 'hartplug-hsmtest')},addr={LOAD:#x}"])
    expect(c.wait_for(b"Hit any key to stop autoboot", 60), "U-Boot did not offer to stop autoboot")
    c.type("")
    expect(c.wait_for(b"=> ", 30), "no U-Boot prompt")
    c.type("setenv bootargs 'maxcpus=2 shell.run=\"" + "; ".join(cmds) + "\"'")
    c.type(f"booti {LOAD:#x} - ${{fdtcontroladdr}}")
    rc, out = c.finish(120)
    expect("Starting kernel" in out, "U-Boot did not start the kernel:\n" + out[-2000:])
    expect(re.search(r"hartplug hotplug \(hotplug enabled\), booting on hart \d+", out), "no boot line")
    expect(re.search(r"^0-1\r*$", out, re.M), "online after the cycle:\n" + out[-2000:])
    expect("check: 4 CPUs, 0 inconsistencies" in out, "hotplug check:\n" + out[-2000:])
    expect(re.search(r"hsmtest: 26 checks, \d+ passed, \d+ deviations", out), "hsm test:\n" + out[-3000:])
    got = checks(out.replace("\r", ""))
    check_opensbi_1_1(got, details_of(out.replace("\r", "")))
    others = sorted(n for n, v in got.items() if v == "DEVIATION" and n not in KNOWN_1_1)
    expect(not others, f"deviations beyond OpenSBI 1.1's own: {others}")
    expect(not re.search(r"BUG:|WARNING:|Kernel panic|Oops", out), "trouble:\n" + out[-3000:])
    expect(rc == 0, f"QEMU exit {rc}")
