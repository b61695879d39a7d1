"""The fixed vocabularies of elections: the values a field may take and their labels.

A module apart from the models, so that forms, views and the API can offer them without importing
the models (the interfaces contract, docs/architecture.md).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from consejo.core.elections import Phase


class Method(models.TextChoices):
    """The counting methods (names as in ``consejo count``; consejo.core.counting.methods)."""

    PLURALITY = "plurality", _("plurality (block vote)")
    APPROVAL = "approval", _("approval")
    IRV = "irv", _("instant-runoff (IRV)")
    SCOTTISH_STV = "scottish-stv", _("single transferable vote (Scottish rules)")
    MEEK_STV = "meek-stv", _("single transferable vote (Meek)")
    SCHULZE = "schulze", _("Schulze")


class BallotMode(models.TextChoices):
    SECRET = "secret", _("secret online ballot")
    OPEN = "open", _("open online ballot")
    PAPER = "paper", _("paper ballots or show of hands, entered by the secretary")


#: The phases of an election (consejo.core.elections.Phase) as people read them.
PHASE_LABELS = {
    Phase.NOMINATIONS: _("nominations"),
    Phase.VOTING: _("voting open"),
    Phase.CLOSED: _("voting closed"),
    Phase.COUNTED: _("counted"),
}
