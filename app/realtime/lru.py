"""A least-recently-used map for the live streams' rendering caches.

Every woken stream looks up each event's rendering (300 phones × every dot), so the
look-up itself counts: cachetools' ``LRUCache.get`` runs several Python frames per
hit and was ~4 % of the server's time in bench/room.py's vote. This one is C's
``OrderedDict`` with a Python ``get`` of one frame. Used on the event loop only (like
the caches it replaces, it takes no lock).
"""

from __future__ import annotations

from collections import OrderedDict
from typing import TypeVar

K = TypeVar("K")
V = TypeVar("V")


class Lru(OrderedDict[K, V]):
    def __init__(self, maxsize: int) -> None:
        super().__init__()
        self.maxsize = maxsize

    def get(self, key: K, default: V | None = None) -> V | None:  # type: ignore[override]
        try:
            value = self[key]
        except KeyError:
            return default
        self.move_to_end(key)
        return value

    def __setitem__(self, key: K, value: V) -> None:
        super().__setitem__(key, value)
        self.move_to_end(key)
        if len(self) > self.maxsize:
            self.popitem(last=False)
