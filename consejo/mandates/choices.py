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


class Office(models.TextChoices):
    """An office a body elects one of its people to hold (``""`` on a mandate: a seat, not an
    office). The authority of each is in consejo.core.offices."""

    SECRETARY = "secretary", _("secretary")
    CHAIR = "chair", _("chair")
    TREASURER = "treasurer", _("treasurer")
    COORDINATOR = "coordinator", _("coordinator")


class EndReason(models.TextChoices):
    """Why a mandate ended (the values of ``consejo.core.mandates.Reason``)."""

    REPLACED = "replaced", _("replaced by a new election")
    DERIVED = "derived", _("the seat it was held through ended")
    LEFT = "left", _("left the constituency")
    SEATS_LOWERED = "seats_lowered", _("seats lowered: became a substitute")
    SEATED = "seated", _("took a delegate's seat")
    UNLINKED = "unlinked", _("its body left the council")
    RECALLED = "recalled", _("recalled")
