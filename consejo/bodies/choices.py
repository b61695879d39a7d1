"""The fixed vocabularies of bodies: the values a field may take and their labels.

A module apart from the models, so that forms, views and the API can offer them without importing
the models (the interfaces contract, docs/architecture.md).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class BodyKind(models.TextChoices):
    WORKPLACE = "workplace", _("workplace")
    MINE = "mine", _("mine")
    NEIGHBORHOOD_ASSEMBLY = "neighborhood_assembly", _("neighborhood assembly")
    PEASANT_COMMUNITY = "peasant_community", _("peasant community")
    SCHOOL = "school", _("school")
    UNIVERSITY = "university", _("university")
    BARRACKS = "barracks", _("barracks (soldiers' council)")
    UNION_LOCAL = "union_local", _("union local")
    COUNCIL = "council", _("council")
    COMMITTEE = "committee", _("committee")


#: The kinds of body that receive delegates (and so have seats to apportion).
COUNCIL_KINDS = frozenset({BodyKind.COUNCIL, BodyKind.COMMITTEE})


class CouncilLevel(models.TextChoices):
    DISTRICT = "district", _("district")
    CITY = "city", _("city / regional")
    SECTOR = "sector", _("sector federation")
    NATIONAL = "national", _("national")


class Sector(models.TextChoices):
    WORKER = "worker", _("worker")
    MINER = "miner", _("miner")
    PEASANT = "peasant", _("peasant")
    RESIDENT = "resident", _("resident")
    VENDOR = "vendor", _("street vendor")
    TEACHER = "teacher", _("teacher")
    TRANSPORT = "transport", _("transport worker")
    STUDENT = "student", _("student")
    SOLDIER = "soldier", _("soldier")
    HEALTH = "health", _("health worker")
    OTHER = "other", _("other")


class MembershipRole(models.TextChoices):
    MEMBER = "member", _("member")
    SECRETARY = "secretary", _("secretary")


class ApportionmentMethod(models.TextChoices):
    DHONDT = "dhondt", _("D'Hondt")
    SAINTE_LAGUE = "sainte-lague", _("Sainte-Laguë")
    HAMILTON = "hamilton", _("Hamilton / largest remainder")
    HUNTINGTON_HILL = "huntington-hill", _("Huntington-Hill")
    RATIO = "ratio", _("one seat per N members")
