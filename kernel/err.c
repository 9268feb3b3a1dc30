/* SPDX-License-Identifier: BSD-2-Clause */
/* Names and texts of error codes, for one-line messages such as "... (EBUSY)". */
#include "err.h"

struct err_desc {
	int code;
	const char *name;
	const char *text;
};

static const struct err_desc errs[] = {
	{ EPERM, "EPERM", "Operation not permitted" },
	{ ENOENT, "ENOENT", "No such file or directory" },
	{ ESRCH, "ESRCH", "No such process" },
	{ EINTR, "EINTR", "Interrupted system call" },
	{ EIO, "EIO", "Input/output error" },
	{ ENXIO, "ENXIO", "No such device or address" },
	{ E2BIG, "E2BIG", "Argument list too long" },
	{ ENOEXEC, "ENOEXEC", "Exec format error" },
	{ EBADF, "EBADF", "Bad file descriptor" },
	{ ECHILD, "ECHILD", "No child processes" },
	{ EAGAIN, "EAGAIN", "Resource temporarily unavailable" },
	{ ENOMEM, "ENOMEM", "Cannot allocate memory" },
	{ EACCES, "EACCES", "Permission denied" },
	{ EFAULT, "EFAULT", "Bad address" },
	{ EBUSY, "EBUSY", "Device or resource busy" },
	{ EEXIST, "EEXIST", "File exists" },
	{ ENODEV, "ENODEV", "No such device" },
	{ ENOTDIR, "ENOTDIR", "Not a directory" },
	{ EISDIR, "EISDIR", "Is a directory" },
	{ EINVAL, "EINVAL", "Invalid argument" },
	{ ENOSPC, "ENOSPC", "No space left on device" },
	{ EPIPE, "EPIPE", "Broken pipe" },
	{ ERANGE, "ERANGE", "Numerical result out of range" },
	{ ENOSYS, "ENOSYS", "Function not implemented" },
	{ EOPNOTSUPP, "EOPNOTSUPP", "Operation not supported" },
	{ EMSGSIZE, "EMSGSIZE", "Message too long" },
	{ ETIMEDOUT, "ETIMEDOUT", "Connection timed out" },
	{ EALREADY, "EALREADY", "Operation already in progress" },
	{ ECANCELED, "ECANCELED", "Operation canceled" },
};

static const struct err_desc *find(int err)
{
	if (err < 0) {
		err = -err;
	}
	for (unsigned int i = 0; i < sizeof(errs) / sizeof(errs[0]); i++) {
		if (errs[i].code == err) {
			return &errs[i];
		}
	}
	return 0;
}

const char *err_name(int err)
{
	const struct err_desc *d = find(err);
	return d ? d->name : "E?";
}

const char *err_text(int err)
{
	const struct err_desc *d = find(err);
	return d ? d->text : "Unknown error";
}
