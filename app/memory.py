"""The server process's memory: fewer malloc arenas, so a burst's memory comes back,
and a garbage collector tuned for a long-running server.

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
import gc
import os

ARENAS = 2
# A young collection after this many new container objects (CPython's default: 700),
# the middle generation every 20 of those and the oldest every 100 (defaults 10 and 10):
# the thresholds bench/room.py measured.
YOUNG_COLLECTION_AFTER = 50_000
OLDER_COLLECTIONS_EVERY = (20, 100)
_collector_tuned = False
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


def tune_garbage_collector() -> bool:
    """Fewer young collections, and what start-up made (modules, routes, templates, the
    ORM's mappers) set aside for good; once per process, True the first time.

    At CPython's default a young collection runs every 700 new objects, and every tenth
    one walks the older generation too: with a room's streams open, a request or a
    stream wake-up makes thousands, nearly all freed by reference counting anyway.
    Measured with 1,000 phones on one worker (bench/room.py), writes coming fast
    (1,000 ideas in 20 s, then 2,000 dots in 20 s): the server's CPU for the ideas
    9.7-10.0 s -> 8.2 s, for the dots 10.9-12.7 s -> 7.8-10.1 s, RSS +8 MB. At the
    slower pace of 1,000 ideas a minute the CPU hardly moved (the phones' quiet
    messages make little garbage), but the slowest answers came sooner. The frozen
    start-up objects are never walked again; they live as long as the process does.
    """
    global _collector_tuned
    if _collector_tuned:
        return False
    _collector_tuned = True
    gc.collect()  # what start-up left as garbage is not frozen with the rest
    gc.freeze()
    gc.set_threshold(YOUNG_COLLECTION_AFTER, *OLDER_COLLECTIONS_EVERY)
    return True
