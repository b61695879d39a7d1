"""The fixed vocabularies of mandates: the values a field may take and their labels.

A module apart from the models, so that forms, views and the API can offer them without importing
the models (the interfaces contract, docs/architecture.md).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class MandateRole(models.TextChoices):
    DELEGATE = "delegate", _("delegate")
    SUBSTITUTE = "substitute", _("substitute")
