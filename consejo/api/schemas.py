"""What every router of the API shares: the one error shape, and the types of request fields,
each declared in the OpenAPI schema as the server accepts it.

The schema describes the *shape* of a request: types, the ranges and names the services accept,
the form of a short name. A request of the wrong shape is a 422 (``invalid``). A request of the
right shape that breaks a rule no schema can state (voting closes before it opens, a body that is
not a council, a name with an invisible control character) is a 400 (``invalid``), with a message
in the reader's language. Ranges and names that the services check themselves are declared here
for clients and left to the services, so that their refusal keeps its translated message.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from datetime import datetime
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Annotated, Any

from ninja import Schema
from pydantic import BeforeValidator, Field, Strict, StrictBool, WithJsonSchema

from consejo.core import slugs

#: Keys are 63-bit integers in every database consejo runs on; anything larger is refused
#: before it reaches one (SQLite cannot even bind it).
MAX_KEY = 2**63 - 1

#: A short name (``planta-senkata``): one rule, consejo.core.slugs.
SLUG_PATTERN = slugs.SLUG_PATTERN

#: Text in an address or a query: anything but a NUL, which the server refuses anywhere in an
#: address with a 400 (``consejo.common.middleware``: PostgreSQL cannot even compare it).
NO_NUL_PATTERN = r"^[^\x00]*$"

_INTEGRAL = re.compile(r"[+-]?[0-9]{1,19}(?:\.0*)?")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


# --- the one error shape ----------------------------------------------------------------------


class ErrorDetail(Schema):
    code: str = Field(
        description="invalid, unauthenticated, permission_denied, not_found, "
        "method_not_allowed, conflict, rate_limited or error"
    )
    message: str = Field(description="what went wrong, in the reader's language")


class ErrorOut(Schema):
    """Every error the API answers, whatever the endpoint and the status."""

    error: ErrorDetail


def errors(*statuses: int) -> dict[int, type[ErrorOut]]:
    """The error answers of an operation, for its ``response=`` declaration.

    Every operation may answer 400 (a NUL in its address, a body that is not JSON, a broken
    rule) and 422 (a request of the wrong shape); the caller names the others.
    """
    return dict.fromkeys(sorted({400, 422, *statuses}), ErrorOut)


#: The errors of an operation that needs a token and acts on something its address names.
TOKEN = (401, 403, 404)


# --- numbers ----------------------------------------------------------------------------------


def _whole(value: Any) -> Any:
    """A whole number in a request's JSON as JSON Schema's ``integer`` admits it: ``31340`` and
    ``31340.0`` alike. ``true``, ``"7"`` and ``1.5`` are left for the strict check to refuse."""
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return int(value)
    return value


def _whole_text(value: Any) -> Any:
    """A whole number in an address or a query, where it comes as text: ``7`` or ``7.0``."""
    if isinstance(value, str) and _INTEGRAL.fullmatch(value.strip()):
        return int(Decimal(value.strip()))
    return _whole(value)


#: A whole number in a request's JSON (JSON Schema's ``integer``); a fraction, text or a boolean
#: is a 422.
WholeNumber = Annotated[int, Strict(), BeforeValidator(_whole)]
#: An id in a request's JSON (from 1). Bounds go before the validator that reads ``7.0``, or
#: pydantic cannot write them in the schema: ``Annotated[int, Strict(), Field(...), _WHOLE]``.
KeyIn = Annotated[int, Strict(), Field(ge=1, le=MAX_KEY), BeforeValidator(_whole)]
WHOLE = BeforeValidator(_whole)
#: A whole number in the address or the query (``7``, or ``7.0``): give it its ``Path(...)`` or
#: ``Query(...)`` with the bounds the server holds it to (a 422 outside them).
AddressNumber = Annotated[int, Strict(), BeforeValidator(_whole_text)]


def bounds(least: int, most: int, description: str = "") -> Any:
    """The range in which the services accept a whole number: declared for clients, refused
    outside by the service with a message that says the range (a 400)."""
    return Field(description=description, json_schema_extra={"minimum": least, "maximum": most})


def _degrees(value: Any) -> Decimal:
    """Degrees as the database keeps them, with 6 decimals: a JSON number, rounded to the
    nearest micro-degree (about 10 cm)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError("degrees are a JSON number")
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError("degrees are a finite number")
    exact = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    if abs(exact) > 1000:  # out of range: the service says so; rounding would overflow
        return exact
    return exact.quantize(Decimal("0.000001"), rounding=ROUND_HALF_EVEN)


def _degrees_schema(limit: int) -> WithJsonSchema:
    return WithJsonSchema(
        {
            "type": "number",
            "minimum": -limit,
            "maximum": limit,
            "description": "degrees, rounded to 6 decimals",
        }
    )


#: A latitude or a longitude in degrees: a JSON number, rounded to 6 decimals; outside the range
#: the service refuses it (a 400).
Latitude = Annotated[Decimal, BeforeValidator(_degrees), _degrees_schema(90)]
Longitude = Annotated[Decimal, BeforeValidator(_degrees), _degrees_schema(180)]


# --- text -------------------------------------------------------------------------------------


def one_of(values: Iterable[str], description: str = "") -> Any:
    """The names the services accept (refused otherwise with a 400 that says so)."""
    listed: list[Any] = list(values)
    return Field(description=description, json_schema_extra={"enum": listed})


def slug_rule(max_length: int = 80) -> Any:
    """A new short name as the services accept it (refused otherwise with a 400)."""
    return Field(
        description=f"lowercase letters, digits and dashes between them; at most {max_length}",
        json_schema_extra={"pattern": SLUG_PATTERN, "maxLength": max_length},
    )


#: Text in a query (a short name looked up, a search): anything but a NUL (a 400).
AddressText = Annotated[str, Field(pattern=NO_NUL_PATTERN)]


def _instant_text(value: Any) -> Any:
    if not (isinstance(value, str) and _DATE.match(value)):
        raise ValueError("an instant is written 2005-06-09T10:00:00-04:00")
    return value


#: An instant with its offset (``2005-06-09T10:00:00-04:00``), never a number of seconds.
Instant = Annotated[datetime, BeforeValidator(_instant_text)]
#: ``true`` or ``false``, never ``1`` or ``"yes"``.
Flag = StrictBool
