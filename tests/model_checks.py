# SPDX-License-Identifier: BSD-2-Clause
"""The SPIN models of model/ (docs/model.md), checked exhaustively: each model must
verify with no error, and each mutation (a known bug put back into the model) must
give the counterexample it is named for, with a trail SPIN can replay."""
import os
import re
import shutil
import subprocess
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MODEL = os.path.join(ROOT, "model")


class Failure(Exception):
    pass


def pan(model, define=None):
    """Generates, compiles and runs the verifier; returns (errors, output, trail text)."""
    with tempfile.TemporaryDirectory() as d:
        shutil.copy(os.path.join(MODEL, model), d)   # the trail is written beside it
        src = model
        defs = [f"-D{d}" for d in define.split()] if define else []
        args = ["spin"] + defs + ["-a", src]
        p = subprocess.run(args, cwd=d, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        if p.returncode != 0:
            raise Failure(f"spin -a {model}: {p.stdout.decode()}")
        p = subprocess.run(["cc", "-O2", "-o", "pan", "pan.c"],
                           cwd=d, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        if p.returncode != 0:
            raise Failure(f"cc pan.c for {model}: {p.stdout.decode()[-2000:]}")
        p = subprocess.run(["./pan", "-m1000000"], cwd=d, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, timeout=600)
        out = p.stdout.decode("utf-8", "replace")
        m = re.search(r"errors: (\d+)", out)
        if not m:
            raise Failure(f"pan for {model} printed no verdict:\n{out[-2000:]}")
        if "search not completed" in out or "max search depth too small" in out:
            raise Failure(f"{model}: the search was cut short, so it proves nothing:\n{out[-2000:]}")
        trail = ""
        if os.path.exists(os.path.join(d, src + ".trail")):
            t = subprocess.run(["spin"] + defs + ["-t", "-p", src],
                               cwd=d, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
            trail = t.stdout.decode("utf-8", "replace")
        return int(m.group(1)), out, trail


def verified(model, define=None):
    def check():
        errors, out, _ = pan(model, define)
        name = model + "".join(f" -D{d}" for d in (define or "").split())
        if errors:
            raise Failure(f"{name}: {errors} errors\n{out[-2000:]}")
        states = re.search(r"(\d+) states, stored", out)
        print(f"  {name}: no error in {states.group(1) if states else '?'} states")
    return check


def mutation(model, define, expect):
    def check():
        errors, out, trail = pan(model, define)
        name = model + "".join(f" -D{d}" for d in define.split())
        if errors == 0:
            raise Failure(f"{name}: the bug put back was not found\n{out[-1500:]}")
        if not re.search(expect, out) or not re.search(r"^\s*\d+:\s+proc\s", trail, re.M):
            raise Failure(f"{name}: not the expected counterexample ({expect})\n{out[-1500:]}")
        print(f"  {name}: counterexample found ({re.search(expect, out).group(0)}), "
              f"trail of {len(trail.splitlines())} lines")
    return check


CHECKS = [
    ("model.kick_ap", verified("kick_ap.pml")),
    ("model.kick_ap.late_choice_deadlocks", mutation("kick_ap.pml", "LATE_CHOICE", r"invalid end state")),
    ("model.boot_handshake", verified("boot_handshake.pml")),
    ("model.boot_handshake.old_release_ipis_a_pending_hart",
     mutation("boot_handshake.pml", "OLD_RELEASE", r"assertion violated hart_started")),
    ("model.boot_handshake.no_recheck_loses_the_hart",
     mutation("boot_handshake.pml", "NO_RECHECK", r"invalid end state")),
    ("model.boot_handshake.no_claim_retry_stops_a_wanted_hart",
     mutation("boot_handshake.pml", "NO_CLAIM_RETRY", r"assertion violated \(\(hs!=2\)&&\(hs!=1\)\)")),
    ("model.hsm_start", verified("hsm_start.pml")),
    ("model.hsm_start.fixed_order", verified("hsm_start.pml", "FIXED_ORDER")),
    ("model.hsm_start.no_first_arrival_guard_boots_twice",
     mutation("hsm_start.pml", "NO_FIRST_ARRIVAL_GUARD", r"assertion violated \(kmain_secondaries==0\)")),
    ("model.hsm_start.no_quiesce_redirect_stops_a_wanted_hart",
     mutation("hsm_start.pml", "NO_QUIESCE_REDIRECT", r"assertion violated \(\(boot!=1\)\|\|\(h!=0\)\)")),
    ("model.hsm_start.trust_opaque_runs_on_no_struct",
     mutation("hsm_start.pml", "TRUST_OPAQUE", r"assertion violated \(cpu==2\)")),
    ("model.hsm_start.ask_once_runs_dead_steps_early",
     mutation("hsm_start.pml", "ASK_ONCE", r"assertion violated \(fw\[0\]==0\)")),
    ("model.park_unpark", verified("park_unpark.pml")),
    ("model.park_unpark.parked_by_state_runs_on",
     mutation("park_unpark.pml", "PARKED_BY_STATE", r"assertion violated\s+!\(parked\)")),
    ("model.park_unpark.no_generation_leaves_a_park_unanswered",
     mutation("park_unpark.pml", "NO_GENERATION", r"invalid end state")),
    ("model.park_unpark.unpark_wakes_sleeping_loses_the_thread",
     mutation("park_unpark.pml", "UNPARK_WAKES_SLEEPING", r"invalid end state")),
    ("model.sleepers", verified("sleepers.pml")),
    ("model.sleepers.private_tick_list_corrupts",
     mutation("sleepers.pml", "PRIVATE_TICK", r"assertion violated \(where==1\)")),
    ("model.sleepers.private_move_list_corrupts",
     mutation("sleepers.pml", "PRIVATE_MOVE", r"assertion violated \(where==1\)")),
    ("model.rollback", verified("rollback.pml")),
    ("model.rollback.roll_back_to_idle_misses_the_start",
     mutation("rollback.pml", "ROLL_BACK_TO_IDLE", r"assertion violated \(\(err&&\(state==prev\)\)")),
    ("model.rollback.no_roll_forward_stays_at_teardown",
     mutation("rollback.pml", "NO_ROLL_FORWARD", r"assertion violated \(\(err&&\(state==prev\)\)")),
    ("model.rollback.overwrite_state_loses_the_bringup",
     mutation("rollback.pml", "OVERWRITE_STATE", r"assertion violated \(\(err&&\(state==prev\)\)")),
    ("model.rollback.no_target_reset_runs_online_steps_on_the_control_cpu",
     mutation("rollback.pml", "NO_TARGET_RESET",
              r"assertion violated (\(\(0==2\)&&running\)|\(target==state\))")),
    ("model.ipc_reply", verified("ipc_reply.pml")),
    ("model.ipc_reply.no_seq_check_lands_a_late_reply_in_the_next_call",
     mutation("ipc_reply.pml", "NO_SEQ_CHECK", r"assertion violated \(words==k\)")),
    ("model.ipc_reply.wake_before_words_reads_the_last_words",
     mutation("ipc_reply.pml", "WAKE_BEFORE_WORDS", r"assertion violated \(words==k\)")),
    ("model.ipc_reply.no_migrating_check_queues_twice",
     mutation("ipc_reply.pml", "NO_MIGRATING_CHECK", r"assertion violated \( !\(on_rq\)&&\(queued==0\)\)")),
    ("model.crosscall_takedown", verified("crosscall_takedown.pml")),
    ("model.crosscall_takedown.no_sender_rule",
     mutation("crosscall_takedown.pml", "NO_SENDER_RULE", r"assertion violated online_O")),
    ("model.crosscall_takedown.no_dying_flush",
     mutation("crosscall_takedown.pml", "NO_DYING_FLUSH", r"assertion violated \(queued==0\)")),
    ("model.crosscall_takedown.irq_order_2014_ipis_a_cpu_with_irqs_off",
     mutation("crosscall_takedown.pml", "IRQ_ORDER_2014", r"assertion violated irqs\[0\]")),
    ("model.crosscall_takedown.irq_order_2014_without_flush_loses_a_call",
     mutation("crosscall_takedown.pml", "IRQ_ORDER_2014 NO_DYING_FLUSH",
              r"assertion violated (\(queued==0\)|!\(ran_offline\))")),
]
