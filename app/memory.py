"""Fewer malloc arenas for the server process, so a burst's memory comes back.

glibc gives threads that allocate at the same time their own arenas (up to eight
per core) and keeps what was freed in each one for later. When the vote opens the
whole room reloads at once: 16 requests run on the thread pool together (SQLite,
zlib and the template engine allocate outside Python's own allocator), each arena
grows to a request's working size and keeps it. Measured with 600 groups on one
worker (bench/reload_storm.py): +23 MB after the first storm with glibc's default,
+15 MB with two arenas, the same page times; the 300-phone soak's growth went from
9.3 % to below that (bench/RESULTS.md). The GIL already keeps Python's threads from
allocating in parallel, so two arenas cost no speed.

``MALLOC_ARENA_MAX`` is glibc's own setting: when the operator sets it, it is left
alone. Elsewhere (musl, macOS) this does nothing.
"""

from __future__ import annotations

import ctypes
import os

ARENAS = 2
_M_ARENA_MAX = -8  # glibc's malloc.h


def limit_malloc_arenas(arenas: int = ARENAS) -> bool:
    """Ask for ``arenas`` arenas in this process and in the worker processes it starts;
    True when this process's allocator took it."""
    if os.environ.get("MALLOC_ARENA_MAX"):
        return False
    # uvicorn's --workers are new processes: glibc reads the variable when they start.
    os.environ["MALLOC_ARENA_MAX"] = str(arenas)
    try:
        mallopt = ctypes.CDLL(None).mallopt  # this process has already started: ask at run time
    except (OSError, AttributeError):
        return False
    mallopt.argtypes, mallopt.restype = [ctypes.c_int, ctypes.c_int], ctypes.c_int
    return mallopt(_M_ARENA_MAX, arenas) == 1
