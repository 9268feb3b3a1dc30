/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Error codes: Linux's numbers, so messages and tests read the same as on Linux. Shared
 * by the kernel and user programs (system calls return -errno), with err.c's names.
 */
#ifndef HP_ERR_H
#define HP_ERR_H

#define EPERM       1
#define ENOENT      2
#define ESRCH       3
#define EINTR       4
#define EIO         5
#define ENXIO       6
#define E2BIG       7
#define ENOEXEC     8
#define EBADF       9
#define ECHILD     10
#define EAGAIN     11
#define ENOMEM     12
#define EACCES     13
#define EFAULT     14
#define EBUSY      16
#define EEXIST     17
#define ENODEV     19
#define ENOTDIR    20
#define EISDIR     21
#define EINVAL     22
#define ENOSPC     28
#define EPIPE      32
#define ERANGE     34
#define ENOSYS     38
#define EMSGSIZE   90
#define ETIMEDOUT 110
#define EALREADY  114
#define EOPNOTSUPP 95
#define ECANCELED 125

/* "EBUSY" for -EBUSY or EBUSY; "E?" for a number without a name. */
const char *err_name(int err);
/* "Device or resource busy" */
const char *err_text(int err);

#endif
