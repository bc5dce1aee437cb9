/*
 * common.h - what every source file in src/ includes first.
 *
 * The standard headers nearly every module needs, the error type, the
 * growable buffer, and banned.h last so that it wins over the libc headers.
 */
#ifndef SL_COMMON_H
#define SL_COMMON_H

#include <assert.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/err.h"
#include "util/buf.h"

#define SL_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

#include "util/banned.h"

#endif
