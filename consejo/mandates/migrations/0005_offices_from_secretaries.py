"""Offices are mandates (issue 11, item 3): each open secretary membership becomes a secretary's
office mandate, recorded in the ledger.

Until now a body acted through the members holding an open ``secretary`` membership; from now
on through the holders of its office mandates. Each such membership, at the instant this
migration runs, gives its holder the body's secretary office (ranked in the order they became
secretaries; provisional if the membership was), with a ``mandate.started`` entry whose origin
names the membership, so that the ledger tells where each office came from and ``consejo ledger
audit`` rebuilds it. The membership itself is left as it was: it is what it recorded then. Run
backward, the office mandates this created are removed with their entries, if nothing was
written to the ledger after them.
"""

from datetime import UTC, datetime, timedelta

from django.db import migrations

from consejo.core import ledger as chain

KIND = "mandate.started"


def _next_instant(head_at: str) -> datetime:
    now = datetime.now(tz=UTC)
    if head_at:
        now = max(now, chain.parse_instant(head_at) + timedelta(microseconds=1))
    return now


def offices_from_secretaries(apps, schema_editor):
    Membership = apps.get_model("bodies", "Membership")
    Mandate = apps.get_model("mandates", "Mandate")
    LedgerEntry = apps.get_model("ledger", "LedgerEntry")
    LedgerHead = apps.get_model("ledger", "LedgerHead")
    secretaries = list(
        Membership.objects.filter(role="secretary", end__isnull=True)
        .select_related("body")
        .order_by("body_id", "start", "pk")
    )
    if not secretaries:
        return
    head = LedgerHead.objects.select_for_update().get(id=1)
    at = _next_instant(head.at)
    ranks: dict[int, int] = {}
    for membership in secretaries:
        body = membership.body
        taken = Mandate.objects.filter(
            council_id=body.pk, office="secretary", role="delegate", end__isnull=True
        )
        if taken.filter(member_id=membership.member_id).exists():
            continue
        rank = ranks.get(body.pk) or (max(taken.values_list("rank", flat=True), default=0))
        ranks[body.pk] = rank + 1
        mandate = Mandate.objects.create(
            member_id=membership.member_id,
            constituency_id=body.pk,
            council_id=body.pk,
            office="secretary",
            role="delegate",
            rank=rank + 1,
            provisional=membership.provisional,
            origin=f"membership:{membership.pk}",
            start=at,
        )
        payload = {
            "mandate": mandate.pk,
            "member": membership.member_id,
            "constituency": body.slug,
            "council": body.slug,
            "office": "secretary",
            "role": "delegate",
            "rank": mandate.rank,
            "origin": mandate.origin,
            "election": None,
            "start": chain.format_instant(at),
            "by": None,
        }
        if membership.provisional:
            payload["provisional"] = True
        entry = chain.make_entry(
            seq=head.seq + 1, kind=KIND, at=at, payload=payload, prev=head.hash
        )
        LedgerEntry.objects.create(
            seq=entry.seq,
            kind=entry.kind,
            at=entry.at,
            payload=entry.payload,
            prev=entry.prev,
            hash=entry.hash,
        )
        head.seq, head.hash, head.at = entry.seq, entry.hash, entry.at
    head.save()


def secretaries_again(apps, schema_editor):
    """Remove the office mandates :func:`offices_from_secretaries` made, with their entries: the
    newest entries of the chain, written by nobody (``by`` null) from a membership. Refused if
    anything was written after them: the chain is never cut in its middle."""
    import json

    Mandate = apps.get_model("mandates", "Mandate")
    LedgerEntry = apps.get_model("ledger", "LedgerEntry")
    LedgerHead = apps.get_model("ledger", "LedgerHead")
    ours = []
    for entry in LedgerEntry.objects.filter(kind=KIND).order_by("seq"):
        payload = json.loads(entry.payload)
        if payload["by"] is None and str(payload["origin"]).startswith("membership:"):
            ours.append((entry, payload["mandate"]))
    if not ours:
        return
    first = ours[0][0].seq
    tail = list(LedgerEntry.objects.filter(seq__gte=first).values_list("seq", flat=True))
    if tail != [entry.seq for entry, _mandate in ours]:
        raise RuntimeError("the ledger moved on after the offices were made: cannot undo them")
    head = LedgerHead.objects.select_for_update().get(id=1)
    LedgerEntry.objects.filter(seq__gte=first).delete()
    before = LedgerEntry.objects.filter(seq=first - 1).first()
    head.seq = first - 1
    head.hash = before.hash if before else chain.GENESIS
    head.at = before.at if before else ""
    head.save()
    Mandate.objects.filter(pk__in=[mandate for _entry, mandate in ours]).delete()


class Migration(migrations.Migration):
    # Apart from the schema change before it, so that on PostgreSQL no ALTER TABLE runs in the
    # transaction that wrote rows (a table with pending trigger events cannot be altered).
    dependencies = [
        ("bodies", "0003_represented_counts"),
        ("ledger", "0002_ledger_head_plural"),
        ("mandates", "0004_provisional_offices"),
    ]

    operations = [migrations.RunPython(offices_from_secretaries, secretaries_again)]
