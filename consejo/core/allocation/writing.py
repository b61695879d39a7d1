"""The allocation's plan as JSON (the format is in docs/allocation.md).

:func:`to_json` gives the plan as a JSON-ready dict (what the app stores); :func:`write_json` the
text that ``consejo allocate`` prints, byte for byte ``json.dumps(to_json(plan),
ensure_ascii=False, indent=1)``, written by msgspec's encoder from the plan's columns and then
indented (several times faster than the dict and Python's indenting encoder).
"""

from __future__ import annotations

import math
from fractions import Fraction

import msgspec
import numpy as np

from consejo.core.allocation.limits import MAX_UNITS
from consejo.core.allocation.model import Allocation, Shipment

__all__ = ["to_json", "write_json"]


def _decimal(value: Fraction, places: int = 4) -> str:
    """``value`` (≥ 0) as a decimal with ``places`` places, rounded half up, exactly."""
    scale = 10**places
    whole, part = divmod(math.floor(value * scale + Fraction(1, 2)), scale)
    return f"{whole}.{part:0{places}d}"


def _decimal_product(fill: Fraction, need: int, places: int = 4) -> str:
    """``fill * need`` as :func:`_decimal` writes it, with integers only (no Fraction made)."""
    scale = 10**places
    numerator, denominator = fill.numerator * need * scale, fill.denominator
    scaled = (2 * numerator + denominator) // (2 * denominator)
    whole, part = divmod(scaled, scale)
    return f"{whole}.{part:0{places}d}"


def to_json(result: Allocation) -> dict[str, object]:
    """The plan as a JSON-ready dict (the format is in ``docs/allocation.md``).

    Shape: ``{"total_cost": N, "shipments": [{"depot", "recipient", "item", "units", "cost"}],
    "deliveries": [{"recipient", "item", "tier", "need", "units", "fill", "target"}],
    "levels": [{"item", "tier", "fill", "recipients", "need", "units", "depots"}],
    "remainders": [{"depot", "item", "units"}], "unreachable": [id, ...]}``, where ``fill`` and
    ``target`` are the exact values of the fractional plan as decimals with 4 places (rounded half
    up), so that no float rounding reaches the output; ``cost`` is per unit.
    """
    fill_text = {level.fill: _decimal(level.fill) for level in result.levels}
    return {
        "total_cost": result.total_cost,
        "shipments": [
            dict(zip(Shipment._fields, row, strict=True))
            for row in zip(*result.shipments._columns, strict=True)
        ],
        "deliveries": [
            {
                "recipient": recipient,
                "item": item,
                "tier": tier,
                "need": need,
                "units": units,
                "fill": fill_text[fill] if fill in fill_text else _decimal(fill),
                "target": _decimal_product(fill, need),
            }
            for recipient, item, tier, need, units, fill in zip(
                *result.deliveries._columns, strict=True
            )
        ],
        "levels": [
            {
                "item": level.item,
                "tier": level.tier,
                "fill": _decimal(level.fill),
                "recipients": level.recipients,
                "need": level.need,
                "units": level.units,
                "depots": list(level.depots),
            }
            for level in result.levels
        ],
        "remainders": [
            {"depot": rest.depot, "item": rest.item, "units": rest.units}
            for rest in result.remainders
        ],
        "unreachable": list(result.unreachable),
    }


class _ShipmentOut(msgspec.Struct, gc=False):
    depot: str
    recipient: str
    item: str
    units: int
    cost: int


class _DeliveryOut(msgspec.Struct, gc=False):
    recipient: str
    item: str
    tier: int
    need: int
    units: int
    fill: str
    target: str


class _LevelOut(msgspec.Struct, gc=False):
    item: str
    tier: int
    fill: str
    recipients: int
    need: int
    units: int
    depots: list[str]


class _RemainderOut(msgspec.Struct, gc=False):
    depot: str
    item: str
    units: int


class _PlanOut(msgspec.Struct, gc=False):
    total_cost: int
    shipments: list[_ShipmentOut]
    deliveries: list[_DeliveryOut]
    levels: list[_LevelOut]
    remainders: list[_RemainderOut]
    unreachable: list[str]


_ENCODER = msgspec.json.Encoder()


def _fills_and_targets(fills: list[Fraction], needs: list[int]) -> tuple[list[str], list[str]]:
    """The ``fill`` and ``target`` texts of the deliveries, each computed once per distinct
    fill (a plan's deliveries share a few dozen level objects) and per distinct (fill, need)."""
    if not fills:
        return [], []
    objects = np.fromiter(map(id, fills), dtype=np.uint64, count=len(fills))
    _, first, which = np.unique(objects, return_index=True, return_inverse=True)
    values = [fills[i] for i in first.tolist()]
    fill_text = np.array([_decimal(value) for value in values], dtype=object)[which]
    scale = MAX_UNITS + 1
    pairs = which.astype(np.int64) * scale + np.array(needs, dtype=np.int64)
    distinct, pick = np.unique(pairs, return_inverse=True)
    targets = [_decimal_product(values[pair // scale], pair % scale) for pair in distinct.tolist()]
    return fill_text.tolist(), np.array(targets, dtype=object)[pick].tolist()


def write_json(result: Allocation) -> str:
    """The plan as JSON text: exactly ``json.dumps(to_json(result), ensure_ascii=False,
    indent=1)`` (the format is in ``docs/allocation.md``), written by msgspec from the columns.

    Rule: as :func:`to_json`; ``fill`` and ``target`` are the exact values as decimals with 4
    places, rounded half up.
    """
    shipments = result.shipments
    deliveries = result.deliveries
    fill_text, target_text = _fills_and_targets(deliveries.column(5), deliveries.column(3))
    plan = _PlanOut(
        total_cost=result.total_cost,
        shipments=list(map(_ShipmentOut, *(shipments.column(i) for i in range(5)))),
        deliveries=list(
            map(_DeliveryOut, *(deliveries.column(i) for i in range(5)), fill_text, target_text)
        ),
        levels=[
            _LevelOut(
                item=level.item,
                tier=level.tier,
                fill=_decimal(level.fill),
                recipients=level.recipients,
                need=level.need,
                units=level.units,
                depots=list(level.depots),
            )
            for level in result.levels
        ],
        remainders=[
            _RemainderOut(depot=rest.depot, item=rest.item, units=rest.units)
            for rest in result.remainders
        ],
        unreachable=list(result.unreachable),
    )
    return msgspec.json.format(_ENCODER.encode(plan), indent=1).decode("utf-8")
