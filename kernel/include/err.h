/* SPDX-License-Identifier: BSD-2-Clause */
/* The kernel's name for the error codes it shares with user space. */
#include "uapi/err.h"
