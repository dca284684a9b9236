#ifndef SPRAWL_CSHIMS_H
#define SPRAWL_CSHIMS_H
// System calls Swift's Glibc module does not import without _GNU_SOURCE, and libdeflate (Debian's
// libdeflate-dev), which inflates the objects of git packs about twice as fast as zlib.
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <fcntl.h>
#include <unistd.h>
#include <libdeflate.h>

// pipe2 with O_CLOEXEC: both ends are close-on-exec from the start, so a git process spawned
// by another thread at the same moment cannot inherit them (it would hold the pipe open).
static inline int sprawl_pipe_cloexec(int fds[2]) { return pipe2(fds, O_CLOEXEC); }
#endif
