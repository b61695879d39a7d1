"""Allocation of scarce supplies: who gets which units, from which depot.

The supply committee has depots with stock of each item (10 kg gas cylinders, flour...) and
recipients (clinics, community kitchens, neighborhoods) with a need of each item, a priority tier
(1 is the highest) and the depots that can reach them, each with a transport cost per unit. The
plan says how many whole units go from each depot to each recipient. Its rules, in this order:

1. **Higher tiers first**: a lower tier receives nothing that a higher tier could have used (the
   tiers' totals are lexicographically largest: tier 1 gets the most it can, then tier 2 the most
   it can with what is left, and so on).
2. **Leximin-fair within a tier** on the fill ratio (units received / need): no recipient's ratio
   can be raised without lowering that of someone whose ratio is not larger.
3. **Least transport cost** among the plans that keep rules 1 and 2.
4. **Whole units**: rounding departs from the fractional plan of rules 1-3 by less than one unit
   per recipient and item, and never exceeds a depot's stock or a recipient's need. Each group
   of recipients that share a fill level keeps its exact (whole) total, so rounding never moves a
   unit between tiers or between levels; which recipients of a group get the unit rounded up is
   decided by least cost.
5. **No waste**: no unit stays in a depot while a recipient that the depot can reach is short of
   that item.

Items are independent, so each is solved on its own. For one item the set of vectors of amounts
that the depots can deliver is a polymatroid (a flow network: depots → recipients), so the plan of
rules 1 and 2 is unique and is found by *water-filling*: in each tier, raise everybody's fill ratio
``t`` together as far as the stock and the routes allow, freeze the recipients that cannot rise
further (the sink side of a minimum cut), and go on with the rest. The largest feasible ``t`` is
found exactly by Newton's (Dinkelbach's) method on the parametric minimum cut: each step is one
maximum flow with integer capacities scaled by the denominator of ``t``, so every level is an
exact fraction. A frozen group at a level below 1 uses up the whole stock of the depots on its
side of the cut; those depots leave the network, and recipients of later tiers keep only the
depots that still hold stock. Recipients with the same tier and the same set of depots always get
the same ratio, so the maximum flows run on these classes, not on single recipients. Rules 3-5 are
then one integer minimum-cost flow: each recipient must receive the floor of its exact amount and
may receive one more unit, each group must receive its exact total, and the depots keep the rest.
A network with integer data has integral optimal flows, so no rounding heuristic is needed, and
because the total shipped is the maximum flow there is no augmenting path: nothing is wasted.

Sources: N. Megiddo, "Optimal flows in networks with multiple sources and sinks", Mathematical
Programming 7 (1974) 97-107 (lexicographically optimal flows); S. Fujishige, "Lexicographically
optimal base of a polymatroid with respect to a weight vector", Mathematics of Operations Research
5 (1980) 186-196; G. Gallo, M. D. Grigoriadis & R. E. Tarjan, "A fast parametric maximum flow
algorithm and applications", SIAM J. Computing 18 (1989) 30-55 (Newton's method on parametric
cuts); R. K. Ahuja, T. L. Magnanti & J. B. Orlin, *Network Flows*, Prentice Hall 1993, ch. 9-10
(integrality of minimum-cost flows). Solvers: OR-Tools' ``SimpleMaxFlow`` (push-relabel) and
``SimpleMinCostFlow`` (cost scaling).

The modules, one thing each: ``limits`` (the one table of limits, which the app imports too),
``model`` (the data classes), ``validation`` (the one check of an input, for the data classes
and for a file alike), ``water_filling`` (rules 1 and 2), ``rounding`` (rules 3-5), ``plan``
(:func:`allocate`), ``reading`` and ``writing`` (the JSON files).
"""

from __future__ import annotations

from consejo.core.allocation.limits import MAX_COST, MAX_TIER, MAX_UNITS, MIN_TIER
from consejo.core.allocation.model import (
    Allocation,
    Delivery,
    Depot,
    Item,
    Level,
    Problem,
    Recipient,
    Remainder,
    Route,
    Rows,
    Shipment,
)
from consejo.core.allocation.plan import allocate
from consejo.core.allocation.reading import allocate_json, problem_of, read_json
from consejo.core.allocation.writing import to_json, write_json

__all__ = [
    "MAX_COST",
    "MAX_TIER",
    "MAX_UNITS",
    "MIN_TIER",
    "Allocation",
    "Delivery",
    "Depot",
    "Item",
    "Level",
    "Problem",
    "Recipient",
    "Remainder",
    "Route",
    "Rows",
    "Shipment",
    "allocate",
    "allocate_json",
    "problem_of",
    "read_json",
    "to_json",
    "write_json",
]
