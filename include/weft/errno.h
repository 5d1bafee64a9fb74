/* This file lists weft's public error codes once, as an X-macro, so that the
 * enum and weft_strerror() can never disagree (the libuv pattern). Every code
 * equals -errno of the matching POSIX error. */
#ifndef WEFT_ERRNO_H
#define WEFT_ERRNO_H

#include <errno.h>

/* XX(name, errno value, message) */
#define WEFT_ERRNO_MAP(XX)                                                     \
    XX(EINVAL, EINVAL, "invalid argument")                                     \
    XX(ENOMEM, ENOMEM, "out of memory")                                        \
    XX(ENOSYS, ENOSYS, "function not implemented")                             \
    XX(EBUSY, EBUSY, "resource busy")                                          \
    XX(EAGAIN, EAGAIN, "resource temporarily unavailable")                     \
    XX(ENOENT, ENOENT, "no such file or directory")                            \
    XX(EPERM, EPERM, "operation not permitted")                                \
    XX(EACCES, EACCES, "permission denied")                                    \
    XX(ERANGE, ERANGE, "result out of range")                                  \
    XX(ETIMEDOUT, ETIMEDOUT, "timed out")                                      \
    XX(ECONNREFUSED, ECONNREFUSED, "connection refused")                       \
    XX(ECONNRESET, ECONNRESET, "connection reset by peer")                     \
    XX(EPROTO, EPROTO, "protocol error")                                       \
    XX(EMSGSIZE, EMSGSIZE, "message too long")                                 \
    XX(EIO, EIO, "i/o error")                                                  \
    XX(ENOTSUP, ENOTSUP, "operation not supported")

#endif
