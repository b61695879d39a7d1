"""The row a service acts on, read by its key inside the service's transaction.

Services take ids, never model instances (docs/architecture.md): a row the caller read before
the ledger lock may be stale by the time the service decides, so the service reads it again,
once, after the lock, here.
"""

from __future__ import annotations

from typing import TypeVar

from django.db.models import Model, QuerySet

from consejo.core.errors import NotFound

M = TypeVar("M", bound=Model)


def row_of(rows: type[M] | QuerySet[M], pk: object, missing: str, *, lock: bool = False) -> M:
    """The row of ``rows`` (a model or a query) whose key is ``pk``, locked ``FOR UPDATE`` if
    ``lock``; NotFound(``missing``) if there is none (or ``pk`` is not a whole number)."""
    query = rows._default_manager.all() if isinstance(rows, type) else rows
    if type(pk) is not int:  # a bool is an int to Python, and would find the row 0 or 1
        raise NotFound(missing)
    if lock:
        query = query.select_for_update(of=("self",))  # not the rows it joins
    found = query.filter(pk=pk).first()
    if found is None:
        raise NotFound(missing)
    return found
