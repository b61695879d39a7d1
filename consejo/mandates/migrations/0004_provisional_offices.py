"""Offices can be provisional: filled by an operator until the body elects (issue 11, item 3).
The next migration turns the open secretary memberships into office mandates."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("mandates", "0003_graph_and_offices"),
    ]

    operations = [
        migrations.AddField(
            model_name="mandate",
            name="provisional",
            field=models.BooleanField(default=False, verbose_name="provisional"),
        ),
        migrations.AddConstraint(
            model_name="mandate",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("provisional", False), models.Q(("office", ""), _negated=True), _connector="OR"
                ),
                name="mandate_only_offices_are_provisional",
            ),
        ),
    ]
