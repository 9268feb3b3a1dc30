/* SPDX-License-Identifier: BSD-2-Clause */
/* Atomics on plain integers, with the memory order named at each call. */
#ifndef HP_ATOMIC_H
#define HP_ATOMIC_H

#define READ_ONCE(x)      __atomic_load_n(&(x), __ATOMIC_RELAXED)
#define WRITE_ONCE(x, v)  __atomic_store_n(&(x), (v), __ATOMIC_RELAXED)
#define load_acquire(p)   __atomic_load_n((p), __ATOMIC_ACQUIRE)
#define store_release(p, v) __atomic_store_n((p), (v), __ATOMIC_RELEASE)
#define atomic_add(p, v)  __atomic_add_fetch((p), (v), __ATOMIC_SEQ_CST)
#define atomic_sub(p, v)  __atomic_sub_fetch((p), (v), __ATOMIC_SEQ_CST)
#define atomic_or(p, v)   __atomic_fetch_or((p), (v), __ATOMIC_SEQ_CST)
#define atomic_xchg(p, v) __atomic_exchange_n((p), (v), __ATOMIC_SEQ_CST)
#define smp_mb()          __atomic_thread_fence(__ATOMIC_SEQ_CST)
#define barrier()         __asm__ __volatile__("" ::: "memory")

/* Compare-and-swap; on failure *@old receives the value found. */
#define atomic_cmpxchg(p, old, new) \
	__atomic_compare_exchange_n((p), (old), (new), false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)

#endif
