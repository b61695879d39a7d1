"""Numbers as the reader writes them (consejo/common/templatetags/figures.py, consejo/formats)."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.utils import translation

from consejo.common.templatetags.figures import decimal, percent, plural, units


def render(source: str, **context: object) -> str:
    return Template("{% load figures %}" + source).render(Context(context))


def test_spanish_numbers_have_a_decimal_comma_and_a_thousands_point() -> None:
    with translation.override("es"):
        assert render("{{ n }}", n=19280) == "19.280"
        assert decimal("7.5548") == "7,5548"
        assert decimal("1234.50000") == "1.234,50000"
        assert percent("7.5548") == "7,5548\u00a0%"
    with translation.override("en"):
        assert render("{{ n }}", n=19280) == "19,280"
        assert decimal("1234.50000") == "1,234.50000"
        assert percent("75.6") == "75.6%"


def test_text_that_is_no_number_is_shown_as_written() -> None:
    assert decimal("-") == "-"
    assert decimal("") == ""
    assert percent("-").startswith("-")


@pytest.mark.parametrize(
    ("language", "count", "unit", "shown"),
    [
        ("es", 60, "garrafa", "60 garrafas"),
        ("es", 1, "garrafa", "1 garrafa"),
        ("es", 20000, "garrafa", "20.000 garrafas"),
        ("es", 3, "litro", "3 litros"),
        ("es", 2, "quintal", "2 quintales"),
        ("es", 2, "lápiz", "2 lápices"),
        ("es", 5, "kg", "5 kg"),
        ("es", 2, "garrafa de 10 kg", "2 garrafa de 10 kg"),
        ("en", 2, "cylinder", "2 cylinders"),
        ("en", 2, "box", "2 boxes"),
    ],
)
def test_a_count_of_a_unit_is_in_the_plural_unless_it_is_one(
    language: str, count: int, unit: str, shown: str
) -> None:
    with translation.override(language):
        assert units(count, unit) == shown


def test_a_unit_the_rules_cannot_pluralize_is_left_alone() -> None:
    with translation.override("es"):
        assert plural("m3") == "m3"
        assert plural("") == ""
