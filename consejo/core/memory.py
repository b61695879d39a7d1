"""The memory of the large readers: Python's cycle collector paused while they build.

A city's allocation file and plan, or a BLT file of a million ballots, are millions of new
objects (records, names, numbers, tuples), none in a cycle; every few hundred of them would start
a collection that walks every object already built: about a tenth of the time of a plan of
100,000 recipients, and three times the time to read a large BLT file. Reference counting still
frees everything; only the search for cycles waits. Callers: ``consejo.core.allocation.reading``
(``allocate_json``) and ``consejo.core.counting.blt`` (``read_blt``).

Source: the Python documentation of the ``gc`` module ("Since the collector supplements the
reference counting already used in Python, you can disable the collector if you are sure your
program does not create reference cycles"), https://docs.python.org/3/library/gc.html.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def without_cycle_collection() -> Iterator[None]:
    """Pause Python's cycle collector for the block, then restore it as it was (enabled again
    only if it was enabled before, so that nesting and a caller's own pause both hold)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
