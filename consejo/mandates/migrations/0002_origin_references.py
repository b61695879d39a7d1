"""A mandate names what created and what ended it by reference ("election:12"), not by a foreign
key to elections: mandates sit below elections (and recall, meetings) in the order of the apps."""

from django.db import migrations, models


def to_references(apps, schema_editor):
    Mandate = apps.get_model("mandates", "Mandate")
    for mandate in Mandate.objects.exclude(election=None, replaced_by=None).iterator():
        mandate.origin = f"election:{mandate.election_id}" if mandate.election_id else ""
        mandate.ended_by = f"election:{mandate.replaced_by_id}" if mandate.replaced_by_id else ""
        mandate.save(update_fields=["origin", "ended_by"])


def to_foreign_keys(apps, schema_editor):
    Mandate = apps.get_model("mandates", "Mandate")
    for mandate in Mandate.objects.iterator():
        if mandate.origin.startswith("election:"):
            mandate.election_id = int(mandate.origin.partition(":")[2])
        if mandate.ended_by.startswith("election:"):
            mandate.replaced_by_id = int(mandate.ended_by.partition(":")[2])
        mandate.save(update_fields=["election", "replaced_by"])


class Migration(migrations.Migration):
    dependencies = [
        ("mandates", "0001_initial"),
        ("elections", "0002_sealed_boxes"),
    ]

    operations = [
        migrations.AddField(
            model_name="mandate",
            name="origin",
            field=models.CharField(blank=True, max_length=49, verbose_name="created by"),
        ),
        migrations.AddField(
            model_name="mandate",
            name="ended_by",
            field=models.CharField(blank=True, max_length=49, verbose_name="ended by"),
        ),
        migrations.RunPython(to_references, to_foreign_keys, elidable=True),
        migrations.RemoveField(model_name="mandate", name="election"),
        migrations.RemoveField(model_name="mandate", name="replaced_by"),
        migrations.AddIndex(
            model_name="mandate",
            index=models.Index(fields=["origin"], name="mandate_origin"),
        ),
    ]
