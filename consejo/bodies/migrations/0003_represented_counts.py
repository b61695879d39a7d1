"""The represented-member counts (consejo.bodies.counts), filled from the current memberships.

Forward: for every council, the people of the base bodies beneath it through current links, each
with the number of those bodies they belong to; for every body, its total. Backward: the rows are
removed (the tables are then dropped), nothing else changes, so the migration runs both ways.
"""

from collections import Counter

import django.db.models.deletion
from django.db import migrations, models

from consejo.core.represented import bases_below, children_of

COUNCIL_KINDS = ("council", "committee")
CHUNK = 500


def fill(apps, schema_editor):  # type: ignore[no-untyped-def]
    """Count from the rows in force at the ledger's head: those not yet ended."""
    Body = apps.get_model("bodies", "Body")
    Federation = apps.get_model("bodies", "Federation")
    Membership = apps.get_model("bodies", "Membership")
    RepresentedMember = apps.get_model("bodies", "RepresentedMember")
    RepresentedCount = apps.get_model("bodies", "RepresentedCount")
    alias = schema_editor.connection.alias
    councils = set(
        Body.objects.using(alias).filter(kind__in=COUNCIL_KINDS).values_list("pk", flat=True)
    )
    links = Federation.objects.using(alias).filter(end__isnull=True)
    children = children_of(links.values_list("body_id", "parent_id"))
    open_memberships = Membership.objects.using(alias).filter(end__isnull=True)
    totals = Counter(
        dict(
            open_memberships.exclude(body_id__in=councils)
            .values("body_id")
            .annotate(n=models.Count("id"))
            .values_list("body_id", "n")
        )
    )
    for council in sorted(councils):
        below = sorted(bases_below(children, councils, council))
        bodies_of: Counter[int] = Counter()
        for start in range(0, len(below), CHUNK):
            bodies_of.update(
                open_memberships.filter(body_id__in=below[start : start + CHUNK]).values_list(
                    "member_id", flat=True
                )
            )
        RepresentedMember.objects.using(alias).bulk_create(
            [
                RepresentedMember(council_id=council, member_id=m, bodies=n)
                for m, n in bodies_of.items()
            ],
            batch_size=2000,
        )
        totals[council] = len(bodies_of)
    RepresentedCount.objects.using(alias).bulk_create(
        [RepresentedCount(body_id=body, members=n) for body, n in totals.items() if n],
        batch_size=2000,
    )


def unfill(apps, schema_editor):  # type: ignore[no-untyped-def]
    alias = schema_editor.connection.alias
    apps.get_model("bodies", "RepresentedMember").objects.using(alias).all().delete()
    apps.get_model("bodies", "RepresentedCount").objects.using(alias).all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("bodies", "0002_provisional_secretaries_and_phones_per_body"),
    ]

    operations = [
        migrations.CreateModel(
            name="RepresentedCount",
            fields=[
                (
                    "body",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        primary_key=True,
                        related_name="represented",
                        serialize=False,
                        to="bodies.body",
                        verbose_name="body",
                    ),
                ),
                ("members", models.PositiveIntegerField(verbose_name="people represented")),
            ],
            options={
                "verbose_name": "represented count",
                "verbose_name_plural": "represented counts",
            },
        ),
        migrations.CreateModel(
            name="RepresentedMember",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("bodies", models.PositiveIntegerField(verbose_name="base bodies")),
                (
                    "council",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="bodies.body",
                        verbose_name="council",
                    ),
                ),
                (
                    "member",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="bodies.member",
                        verbose_name="member",
                    ),
                ),
            ],
            options={
                "verbose_name": "represented member",
                "verbose_name_plural": "represented members",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("council", "member"), name="represented_member_one_row_per_council"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("bodies__gte", 1)),
                        name="represented_member_in_some_body",
                    ),
                ],
            },
        ),
        migrations.RunPython(fill, unfill),
    ]
