"""Races with real threads and a barrier, as Zulip's transaction tests run them.

Each thread has its own database connection (Django's are per thread) and closes it when done, so
that PostgreSQL sees as many concurrent transactions as there are threads.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from django.db import connection


def race(work: Callable[[int], object], threads: int = 8) -> list[object]:
    """Run ``work(i)`` in ``threads`` threads released at once; return each result or exception."""
    barrier = threading.Barrier(threads)
    results: list[object] = [None] * threads

    def runner(index: int) -> None:
        try:
            barrier.wait(timeout=20)
            results[index] = work(index)
        except Exception as error:  # the test inspects what each thread got
            results[index] = error
        finally:
            connection.close()

    workers = [threading.Thread(target=runner, args=(i,)) for i in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    return results
