"""Seat apportionment: how many delegates each constituent body sends to a council.

A council's seats are divided among its constituencies (base bodies, unions, neighborhood
assemblies...) in proportion to their members, by one of four classical methods:

* **D'Hondt** (Jefferson's method): divisors 1, 2, 3, ...
* **Sainte-Laguë** (Webster's method): divisors 1, 3, 5, ...
* **Hamilton** (largest remainders, Hare-Niemeyer, Vinton's method): the Hare quota rounded down,
  the seats left over to the largest remainders.
* **Huntington-Hill** (the method of equal proportions, used for the US House since 1941):
  divisors sqrt(n(n+1)).

or by a fixed ratio ("one delegate per N members, at least K").

Everything is exact: members and seats are integers, quotients and remainders are compared by
cross-multiplication (and, for Huntington-Hill, by squaring), never as floats. Ties for the last
seats are broken by a fixed, documented rule and every tie that decided a seat is reported in
:attr:`Apportionment.ties`, so that a council can see that nothing was decided by hidden chance.

Tie rule (all methods): when constituencies tie for the last seat(s), the one with more members
wins; then the one whose name sorts first (by Unicode code point, as Python compares strings);
then the one earlier in the input. Names are unique, so the input order is never reached and the
result never depends on it.

Sources: M. L. Balinski & H. P. Young, *Fair Representation: Meeting the Ideal of One Man, One
Vote*, 2nd ed., Brookings Institution Press, 2001; F. Pukelsheim, *Proportional Representation:
Apportionment Methods and Their Applications*, 2nd ed., Springer, 2017; 2 U.S.C. §2a (the method
of equal proportions for the US House).

The modules, one thing each: ``model`` (the data classes), ``validation`` (the one check of an
input), ``text`` (exact values as text, the notes on ties), ``divisors`` (D'Hondt,
Sainte-Laguë, Huntington-Hill), ``remainders`` (Hamilton), ``council`` (:func:`apportion`,
:func:`apportion_by_ratio`, :func:`apportion_council`) and ``files`` (CSV and JSON). Every
public name is importable from here.
"""

from __future__ import annotations

from consejo.core.apportion.council import apportion, apportion_by_ratio, apportion_council
from consejo.core.apportion.files import read_csv, to_json, write_csv
from consejo.core.apportion.model import Apportionment, Constituency, Method, Share
from consejo.core.apportion.text import quota_text
from consejo.core.apportion.validation import MAX_SEATS

__all__ = [
    "MAX_SEATS",
    "Apportionment",
    "Constituency",
    "Method",
    "Share",
    "apportion",
    "apportion_by_ratio",
    "apportion_council",
    "quota_text",
    "read_csv",
    "to_json",
    "write_csv",
]
