/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * System call numbers and flags, shared by the kernel (kernel/syscall.c) and user
 * programs (user/include/hp.h); docs/syscalls.md says what each does.
 */
#ifndef HP_UAPI_SYSCALL_NR_H
#define HP_UAPI_SYSCALL_NR_H

#define SYS_exit         0
#define SYS_write        1
#define SYS_getpid       2
#define SYS_getcpu       3
#define SYS_yield        4
#define SYS_sleep        5
#define SYS_setaffinity  6
#define SYS_getaffinity  7
#define SYS_uptime       8
#define SYS_map          9
#define SYS_unmap       10
#define SYS_protect     11
#define SYS_spawn       12
#define SYS_wait        13
#define SYS_kill        14
#define SYS_read        15
#define SYS_sysfs_list  16
#define SYS_sysfs_read  17
#define SYS_sysfs_write 18
#define SYS_klog_read   19
#define SYS_reboot      20
#define SYS_kcmd        21
#define SYS_setfg       22
#define SYS_thread_create 23
#define SYS_thread_exit 24
#define SYS_thread_join 25
#define SYS_ep_create   26
#define SYS_handle_dup  27
#define SYS_handle_close 28
#define SYS_ipc_call    29
#define SYS_ipc_send    30
#define SYS_ipc_recv    31
#define SYS_ipc_reply_recv 32
#define SYS_notify_create 33
#define SYS_notify_signal 34
#define SYS_notify_wait 35
#define SYS_hpstate_add 36
#define SYS_hpstate_remove 37
#define SYS_hpstate_instance_add 38
#define SYS_hpstate_instance_remove 39
#define SYS_thread_bind 40
#define SYS_ipc_buffer  41
#define SYS_proc_handle 42
#define SYS_proc_kill   43
#define SYS_thread_handle 44
#define SYS_thread_kill 45

/* spawn flags */
#define SPAWN_UNPRIVILEGED 1     /* the child may not use kcmd or reboot */
#define SPAWN_HANDLE       2     /* the 4th argument: a handle, copied as the child's handle 0 */

/* handle rights */
#define IPC_RIGHT_SEND 1
#define IPC_RIGHT_RECV 2
#define IPC_RIGHT_SIGNAL 4
#define IPC_RIGHT_CONTROL 8     /* the CPU-control handle: hotplug writes and kcmd */

/*
 * User-space hotplug states (docs/ipc.md). The kernel calls the state's endpoint with
 * w0 HPSTATE_STARTUP or HPSTATE_TEARDOWN, w1 the CPU, w2 the state, w3 the instance (0
 * for a plain state), badge HPSTATE_BADGE; the reply's w0 is the result (0 or -errno).
 */
#define HPSTATE_MULTI    1      /* hpstate_add: a multi-instance state */
#define HPSTATE_NOCALLS  2      /* add or remove without calling startups or teardowns */
#define HPSTATE_STARTUP  1
#define HPSTATE_TEARDOWN 2
#define HPSTATE_BADGE    (1UL << 63)   /* no handle carries it: only the kernel's calls */
#define HPSTATE_NAME_MAX 23
#define HPSTATE_TIMEOUT_MS 1000        /* a timeout of 0 at registration means this */
#define HPSTATE_TIMEOUT_MAX_MS 60000

/* messages: words 0-7 in registers, the rest in the thread's IPC buffer (docs/ipc.md) */
#define IPC_REG_WORDS 8
#define IPC_MSG_MAX   64

/* ipc_send/ipc_call: OR into the timeout word; w3 names a handle passed to the receiver */
#define IPC_PASS_HANDLE (1UL << 32)

/* wait: the timeout meaning "until one ends"; 0 only looks */
#define WAIT_FOREVER 0xffffffffu

/* reboot */
#define REBOOT_POWEROFF 0
#define REBOOT_RESTART  1

/* map/protect */
#define PROT_R 1
#define PROT_W 2
#define PROT_X 4

#endif
