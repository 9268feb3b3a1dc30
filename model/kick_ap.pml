/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The control CPU handing a range of ONLINE states to a CPU's hotplug thread, and
 * the thread answering (kernel/hotplug/up.c: cpuhp_kick_ap, cpuhp_thread_fn).
 *
 * The thread may fail a step and then turns the direction round for its rollback
 * (st->bringup = !st->bringup) before it answers on the completion of the direction
 * it was kicked in. The control CPU must choose that completion before the kick:
 * read after, st->bringup may already be turned round (the race fixed in 9c6b43f).
 *
 * Checked: no deadlock (every process ends in a valid state) and every kick is
 * answered exactly once. -DLATE_CHOICE puts the choice after the kick, as before the
 * fix; SPIN must then find the deadlock.
 */
#define KICKS 3

bool bringup;           /* st->bringup */
bool should_run;        /* st->should_run */
byte done_up, done_down;/* the two completions */
byte answered;

active proctype control()
{
	byte k = 0;
	bool want_up;
	do
	:: k < KICKS ->
		if
		:: want_up = true
		:: want_up = false
		fi;
		bringup = want_up;
#ifdef LATE_CHOICE
		should_run = true;
		if
		:: bringup -> done_up > 0; done_up--
		:: !bringup -> done_down > 0; done_down--
		fi;
#else
		bool up_choice = bringup;   /* chosen before the kick */
		should_run = true;
		if
		:: up_choice -> done_up > 0; done_up--
		:: !up_choice -> done_down > 0; done_down--
		fi;
#endif
		k++
	:: else -> break
	od;
	assert(answered == KICKS && done_up == 0 && done_down == 0)
}

active proctype cpuhp_thread()
{
	do
	:: should_run ->
		should_run = false;
		if
		:: bringup ->
			if
			:: bringup = false      /* a step failed: roll back */
			:: skip
			fi;
			answered++;
			done_up++
		:: else ->
			if
			:: bringup = true       /* a step failed: roll forward */
			:: skip
			fi;
			answered++;
			done_down++
		fi
	:: answered == KICKS -> break
	od
}
