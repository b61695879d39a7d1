from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from consejo.bodies.models import Sector


class MemberAddForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    sector = forms.ChoiceField(label=_("Sector"), choices=Sector.choices)
    phone = forms.CharField(label=_("Phone (optional)"), max_length=32, required=False)


class LoginGrantForm(forms.Form):
    username = forms.CharField(label=_("Login name"), max_length=150)
    password = forms.CharField(
        label=_("Password (hand it over in person)"),
        widget=forms.PasswordInput(render_value=False),
        min_length=8,
    )
