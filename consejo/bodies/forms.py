from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from consejo.bodies.choices import ApportionmentMethod, BodyKind, CouncilLevel, Sector


class MemberAddForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    sector = forms.ChoiceField(label=_("Sector"), choices=Sector.choices)
    phone = forms.CharField(label=_("Phone (optional)"), max_length=32, required=False)
    same_name_ok = forms.BooleanField(
        label=_("A different person with the same name as someone on the roster"), required=False
    )


class LoginGrantForm(forms.Form):
    username = forms.CharField(
        label=_("Login name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocapitalize": "none", "autocomplete": "off"}),
    )


class BodyCreateForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    slug = forms.SlugField(
        label=_("Short name"),
        max_length=80,
        help_text=_("Lowercase letters, digits and dashes; it appears in addresses."),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=BodyKind.choices)
    level = forms.ChoiceField(
        label=_("Council level (councils only)"),
        choices=[("", "—"), *CouncilLevel.choices],
        required=False,
    )
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    parent = forms.ChoiceField(label=_("Sends delegates to"), required=False)

    def __init__(
        self,
        *args: Any,
        parents: list[tuple[str, str]],
        kinds: list[tuple[str, str]] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        parent = self.fields["parent"]
        if isinstance(parent, forms.ChoiceField):
            parent.choices = parents
        kind = self.fields["kind"]
        if kinds is not None and isinstance(kind, forms.ChoiceField):
            kind.choices = kinds


class SeatsForm(forms.Form):
    method = forms.ChoiceField(label=_("Method"), choices=ApportionmentMethod.choices)
    seats = forms.IntegerField(label=_("Seats"), min_value=1, max_value=100_000, required=False)
    min_seats = forms.IntegerField(
        label=_("Minimum seats per body"), min_value=0, max_value=1000, initial=0
    )
    members_per_seat = forms.IntegerField(
        label=_("Members per seat (ratio method)"),
        min_value=1,
        max_value=10_000_000,
        required=False,
    )


class LinkForm(forms.Form):
    body = forms.SlugField(
        label=_("Short name of the body that joins"),
        max_length=80,
        widget=forms.TextInput(attrs={"list": "linkable", "autocomplete": "off"}),
    )


class RosterUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Roster (CSV with the columns name, sector and optionally phone)")
    )
    same_name_ok = forms.BooleanField(
        label=_("Register names already on the roster as new, different people"), required=False
    )


class ProvisionalSecretaryForm(forms.Form):
    membership = forms.IntegerField(min_value=1, max_value=2**63 - 1, widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Why (recorded in the ledger)"),
        max_length=500,
        help_text=_("For example: the body's secretary left and it has not elected another yet."),
    )
