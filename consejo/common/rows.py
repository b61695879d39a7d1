"""The row a service acts on, read by its key inside the service's transaction, or created.

Services take ids, never model instances (docs/architecture.md): a row the caller read before
the ledger lock may be stale by the time the service decides, so the service reads it again,
once, after the lock, here. A row that a unique constraint may refuse (a short name taken, a
second vote) is created here too, so that the refusal is the same ``Conflict`` everywhere.
"""

from __future__ import annotations

from typing import TypeVar

from django.db import IntegrityError, transaction
from django.db.models import Model, QuerySet

from consejo.core.errors import Conflict, NotFound

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


def row_created(model: type[M], conflict: str, **fields: object) -> M:
    """Insert a row of ``model`` with ``fields``; Conflict(``conflict``) if a constraint refuses
    it (the row exists already). The insert runs in a savepoint of its own: a refusal rolls back
    the insert alone."""
    try:
        with transaction.atomic():
            return model._default_manager.create(**fields)
    except IntegrityError as error:
        raise Conflict(conflict) from error
