# SPDX-License-Identifier: BSD-2-Clause
"""The user-space shell at the console, typed at as a person would: Tab completion,
history, Ctrl-C for the line, a program and a kernel command, Ctrl-D and exit."""
from harness import typed, only

PROMPT_SHOWN = r"hartplug# $"     # the prompt is the last thing on the screen


def test_completion_and_history(config):
    """Tab completes a command name and a sysfs path, lists the choices when it cannot
    decide, and Up walks back through the history."""
    steps = [
        (PROMPT_SHOWN, b"ech\t"),
        (r"hartplug# echo $", b"one\r"),
        (r"\none\n" + PROMPT_SHOWN, b"cat /sys/devices/system/cpu/onl\t"),
        (r"online $", b"\r"),
        (PROMPT_SHOWN, b"cat /sys/devices/system/cpu/o\t"),
        (r"\n(offline  online|online  offline)\n", b"\x15\x1b[A\x1b[A\r"),  # ^U, Up twice
        (r"\none\n" + PROMPT_SHOWN, b"he\t\x1b[A\x1b[B\x1b[B\x15poweroff\r"),
    ]
    b = typed(config, steps)
    b.expect(b.stuck is None, f"waited in vain at step {b.stuck}")
    b.expect_clean()
    b.expect([o.strip() for c, o in b.cmds if c == "echo one"] == ["one", "one"],
             f"echo one, then again from the history: {b.cmds}")
    b.expect(b.output_of("cat /sys/devices/system/cpu/online").strip() == "0-1",
             "the completed path")
    b.expect(b.lines(r"^(offline  online|online  offline)$"), "the two choices for .../o")


def test_ctrl_c_and_ctrl_d(config):
    """Ctrl-C drops the line being typed and ends a foreground program (status 130);
    Ctrl-D on an empty line and exit end the shell, and init starts a new one."""
    steps = [
        (PROMPT_SHOWN, b"abc\x03"),
        (r"\^C\n" + PROMPT_SHOWN, b"spin 0 60000\r"),
        (r"hartplug# spin 0 60000\n", b"\x03"),
        (r"spin: exit status 130\n" + PROMPT_SHOWN, b"echo alive\r"),
        (r"\nalive\n" + PROMPT_SHOWN, b"\x04"),
        (r"exit\n" + PROMPT_SHOWN, b"exit 3\r"),
        (r"starting a new one\n" + PROMPT_SHOWN, b"poweroff\r"),
    ]
    b = typed(config, steps)
    b.expect(b.stuck is None, f"waited in vain at step {b.stuck}")
    b.expect_clean()
    b.expect(b.lines(r"^hartplug# abc\^C$"), "the abandoned line")
    b.expect(not b.lines(r"sh: abc"), "the abandoned line was run")
    b.expect(b.lines(r"spin\[\d+\]: killed"), "spin was not killed")
    b.expect(b.lines(r"^init: the shell ended with status 3; starting a new one$"), "exit 3")


@only("hotplug")
def test_ctrl_c_stops_a_kernel_command(config):
    """Ctrl-C during 'hotplug soak' stops it between two operations; it reports what it
    did and leaves every CPU consistent."""
    steps = [
        (PROMPT_SHOWN, b"hotplug soak 100000\r"),
        (r"hartplug# hotplug soak 100000\n", b"\x03"),
        (r"soak: \d+ operations[^\n]*\n" + PROMPT_SHOWN, b"hotplug check\r"),
        (r"check: [^\n]*\n" + PROMPT_SHOWN, b"poweroff\r"),
    ]
    b = typed(config, steps, smp=4, timeout=120)
    b.expect(b.stuck is None, f"waited in vain at step {b.stuck}")
    b.expect_clean()
    b.expect(b.lines(r"soak: interrupted \(Ctrl-C\) after \d+ of 100000 operations"),
             "no interruption reported")
    b.expect(b.output_of("hotplug check").strip() == "check: 4 CPUs, 0 inconsistencies",
             b.output_of("hotplug check"))


def test_a_shell_without_cpu_control(config):
    """CPU control is a right: init hands its handle to the first shell only. A shell
    started from it holds none: its kernel commands, hotplug writes and grant are refused
    with EPERM, reads stay open; back in the first shell both work, and a program it
    runs without grant holds no control either."""
    cpu1 = "/sys/devices/system/cpu/cpu1/online"
    steps = [
        (PROMPT_SHOWN, b"sh\r"),
        (r"hartplug# sh\n" + PROMPT_SHOWN, b"ps\r"),
        (r"\n" + PROMPT_SHOWN, f"echo 0 > {cpu1}\r".encode()),
        (r"\n" + PROMPT_SHOWN, f"cat {cpu1}\r".encode()),
        (r"\n1\n" + PROMPT_SHOWN, b"grant hello\r"),
        (r"\n" + PROMPT_SHOWN, b"exit\r"),
        (r"hartplug# exit\n" + PROMPT_SHOWN, b"ps\r"),
        (r"  PID[^\n]*\n(.*\n)*" + PROMPT_SHOWN, b"hpstate selftest\r"),
        (r"\n" + PROMPT_SHOWN, b"poweroff\r"),
    ]
    b = typed(config, steps, smp=2)
    b.expect(b.stuck is None, f"waited in vain at step {b.stuck}")
    b.expect_clean()
    b.expect(b.output_of("ps").strip() == "sh: ps: kernel commands need the CPU-control right (EPERM)",
             b.output_of("ps"))
    b.expect(b.output_of(f"echo 0 > {cpu1}").strip() ==
             f"echo: {cpu1}: Operation not permitted (EPERM)", b.output_of(f"echo 0 > {cpu1}"))
    b.expect(b.output_of(f"cat {cpu1}").strip() == "1", "reads stay open")
    b.expect(b.output_of("ps", 1).startswith("  PID"), "the first shell keeps the right")
    b.expect(b.output_of("grant hello").strip() ==
             "sh: grant: this shell does not hold the CPU-control right (EPERM)",
             b.output_of("grant hello"))
    # Its programs hold none either, unless it grants it.
    b.expect(b.output_of("hpstate selftest").startswith(
             "hpstate: needs the CPU-control right"), b.output_of("hpstate selftest"))
