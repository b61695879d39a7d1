"""Figures as a page shows them, in the reader's language: numbers the core keeps as exact
decimal text ("7.5548", "123.00000"), percentages, and counts of a unit ("60 garrafas")."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import template
from django.utils import formats
from django.utils.translation import get_language

register = template.Library()


@register.filter
def decimal(value: object) -> str:
    """A number written as text (exact decimals from a count) in the reader's form, with every
    digit kept: "1234.50000" is "1.234,50000" in Spanish."""
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return str(value)
    if not number.is_finite():
        return str(value)
    places = max(-int(number.as_tuple().exponent), 0)
    return formats.number_format(number, decimal_pos=places, use_l10n=True, force_grouping=True)


@register.filter
def percent(value: object) -> str:
    """A percentage: "7,5548 %" in Spanish (a space before the sign), "7.5548%" in English."""
    text = decimal(value)
    return f"{text}\u00a0%" if (get_language() or "").startswith("es") else f"{text}%"


@register.filter
def units(count: object, unit: object) -> str:
    """A count with its unit, in the plural when the count is not one: "60 garrafas"."""
    try:
        n = int(str(count))
    except ValueError:
        return f"{count} {unit}"
    word = str(unit)
    shown = formats.number_format(n, use_l10n=True, force_grouping=True)
    return f"{shown} {word if n == 1 else plural(word)}"


def plural(word: str) -> str:
    """The plural of a one-word unit by the rules of the reader's language: "garrafa" becomes
    "garrafas", "cylinder" "cylinders"; several words ("garrafa de 10 kg") and abbreviations
    ("kg") stay as written."""
    if not word or " " in word.strip() or not word[-1].isalpha():
        return word
    if not any(vowel in word.lower() for vowel in "aeiouáéíóú"):
        return word  # an abbreviation: kg, ml
    if (get_language() or "").startswith("es"):
        if word[-1] in "aeiouáéó":
            return word + "s"
        if word[-1] == "z":
            return word[:-1] + "ces"
        if word[-1] in "sx":
            return word
        return word + "es"
    if word.endswith(("s", "x", "ch", "sh")):
        return word + "es"
    if word.endswith("y") and len(word) > 1 and word[-2] not in "aeiou":
        return word[:-1] + "ies"
    return word + "s"
