"""Cyclic garbage collection paused around bulk work."""

from __future__ import annotations

import gc
from contextlib import contextmanager

__all__ = ["gc_paused"]


@contextmanager
def gc_paused():
    """Pause cyclic garbage collection.  A projection or a compliance read
    allocates millions of long-lived objects, and the computations millions
    more; each collection would rescan them all for nothing (measured in
    docs/benchmarks.md)."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()
