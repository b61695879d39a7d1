"""Forms of the supply pages: they parse numbers and short names; the services decide."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy

from consejo.core.allocation.limits import (
    ITEM_ID_LENGTH,
    MAX_COST,
    MAX_TIER,
    MAX_UNITS,
    NAME_LENGTH,
    RECIPIENT_ID_LENGTH,
    UNIT_LENGTH,
)
from consejo.supply.choices import RecipientKind


class _ItemChoice(forms.Form):
    item = forms.ChoiceField(label=gettext_lazy("Item"))

    def __init__(self, *args: Any, items: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["item"]
        if isinstance(field, forms.ChoiceField):
            field.choices = items


class StockCountForm(_ItemChoice):
    units = forms.IntegerField(
        label=gettext_lazy("Units counted"), min_value=0, max_value=MAX_UNITS
    )
    note = forms.CharField(label=gettext_lazy("Note (optional)"), max_length=500, required=False)


class NeedForm(_ItemChoice):
    units = forms.IntegerField(label=gettext_lazy("Units needed"), min_value=0, max_value=MAX_UNITS)


class RouteForm(forms.Form):
    depot = forms.TypedChoiceField(label=gettext_lazy("From depot"), coerce=int)
    recipient = forms.CharField(
        label=gettext_lazy("To recipient (short name)"), max_length=RECIPIENT_ID_LENGTH, strip=True
    )
    cost = forms.IntegerField(label=gettext_lazy("Cost per unit"), min_value=0, max_value=MAX_COST)

    def __init__(self, *args: Any, depots: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["depot"]
        if isinstance(field, forms.ChoiceField):
            field.choices = depots


class RecipientForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=NAME_LENGTH)
    slug = forms.CharField(
        label=gettext_lazy("Short name (e.g. posta-senkata)"), max_length=RECIPIENT_ID_LENGTH
    )
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=RecipientKind.choices)
    body = forms.CharField(
        label=gettext_lazy("Its own body (short name), whose secretary registers its needs"),
        max_length=80,
    )
    tier = forms.IntegerField(
        label=gettext_lazy("Priority tier (1 is the highest)"), min_value=1, max_value=MAX_TIER
    )
    households = forms.IntegerField(
        label=gettext_lazy("Households (optional)"),
        min_value=0,
        max_value=MAX_UNITS,
        required=False,
    )
    latitude = forms.DecimalField(
        label=gettext_lazy("Latitude (optional)"),
        min_value=Decimal(-90),
        max_value=Decimal(90),
        max_digits=9,
        decimal_places=6,
        required=False,
    )
    longitude = forms.DecimalField(
        label=gettext_lazy("Longitude (optional)"),
        min_value=Decimal(-180),
        max_value=Decimal(180),
        max_digits=9,
        decimal_places=6,
        required=False,
    )


class ItemForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=NAME_LENGTH)
    slug = forms.CharField(
        label=gettext_lazy("Short name (e.g. gas-10kg)"), max_length=ITEM_ID_LENGTH
    )
    unit = forms.CharField(label=gettext_lazy("Unit (e.g. cylinder)"), max_length=UNIT_LENGTH)
