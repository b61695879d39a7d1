"""A form never lets through more than its column holds, nor refuses what the column holds.

A short name of 70 characters for an item (column: 60) once passed the form and was refused by
the service; the limits live in one table (consejo/core/allocation/limits.py) that the models,
the services and the forms all read. Checked field by field, for every form of the supply pages
whose field names a column of the model it creates.
"""

from __future__ import annotations

import pytest
from django import forms
from django.db import models

from consejo.supply import forms as supply_forms
from consejo.supply.models import Item, Recipient, StockCount

#: (form, its field, the model, the column it fills)
PAIRS = [
    (supply_forms.ItemForm, "slug", Item, "slug"),
    (supply_forms.ItemForm, "name", Item, "name"),
    (supply_forms.ItemForm, "unit", Item, "unit"),
    (supply_forms.RecipientForm, "slug", Recipient, "slug"),
    (supply_forms.RecipientForm, "name", Recipient, "name"),
    (supply_forms.RouteForm, "recipient", Recipient, "slug"),
    (supply_forms.StockCountForm, "note", StockCount, "note"),
]


@pytest.mark.parametrize(("form", "field", "model", "column"), PAIRS)
def test_a_forms_limit_is_its_columns(
    form: type[forms.Form], field: str, model: type[models.Model], column: str
) -> None:
    form_field = form.base_fields[field]
    assert isinstance(form_field, forms.CharField)
    assert form_field.max_length == model._meta.get_field(column).max_length
