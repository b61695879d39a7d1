"""The limits of supply, in one table: what the solver takes, and what the app stores.

The solver's limits keep every number it computes exact and within 64 bits: a level of the fair
plan is a fraction whose numerator and denominator are at most :data:`MAX_UNITS`, the maximum
flows scale capacities by its denominator (their products must fit in 64 bits), and a cost times
a flow stays far below 2⁶³. The app (``consejo/supply/models.py``, its forms, services and API)
imports the same figures for its database constraints and its fields, so that what the app stores
is always an input the solver takes. The lengths of names are the app's columns: the solver itself
takes a name of any length (a file's are bounded by the size of the file the command reads).
"""

from __future__ import annotations

__all__ = [
    "DEPOT_ID_LENGTH",
    "ITEM_ID_LENGTH",
    "MAX_COST",
    "MAX_TIER",
    "MAX_UNITS",
    "MIN_TIER",
    "NAME_LENGTH",
    "RECIPIENT_ID_LENGTH",
    "UNIT_LENGTH",
]

#: Largest total stock, and largest total need, of one item (so also the largest stock of one
#: depot, the largest need of one recipient, and the largest count of households).
MAX_UNITS = 10**9
#: Largest transport cost per unit (any unit the committee likes: centavos, minutes, kilometres).
MAX_COST = 10**6
#: The priority tiers: 1 is the highest, :data:`MAX_TIER` the lowest.
MIN_TIER = 1
MAX_TIER = 1000

#: Lengths of the short names the app stores (an item's, a depot's, a recipient's: the ids of
#: the solver's input), of the names shown to people and of an item's unit.
ITEM_ID_LENGTH = 60
DEPOT_ID_LENGTH = 80
RECIPIENT_ID_LENGTH = 80
NAME_LENGTH = 200
UNIT_LENGTH = 60
