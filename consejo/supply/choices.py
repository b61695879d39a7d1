"""The fixed vocabularies of supply: the values a field may take and their labels.

A module apart from the models, so that forms, views and the API can offer them without importing
the models (the interfaces contract, docs/architecture.md).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class RecipientKind(models.TextChoices):
    NEIGHBORHOOD = "neighborhood", _("neighborhood")
    CLINIC = "clinic", _("clinic or hospital")
    KITCHEN = "kitchen", _("community kitchen")
    SCHOOL = "school", _("school")
    OTHER = "other", _("other")


class PlanStatus(models.TextChoices):
    PROPOSED = "proposed", _("proposed")
    APPROVED = "approved", _("approved")
    REJECTED = "rejected", _("rejected")
    SUPERSEDED = "superseded", _("superseded")


class VoteChoice(models.TextChoices):
    YES = "yes", _("yes")
    NO = "no", _("no")
    ABSTAIN = "abstain", _("abstain")
