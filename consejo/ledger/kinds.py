"""The registry of ledger kinds: what each kind of entry records, and the fields of its payload.

Every service appends entries of a kind named here (``ledger_append`` takes a :class:`Kind`,
and refuses a payload whose fields are not the kind's), every page and the API name kinds from
here, and docs/ledger.md lists exactly this table (tests/docs checks it). A kind is a past event,
``<subject>.<what happened>``. Three kinds were first written in other words (``paper.tally``,
``plan.vote``, ``recipient.tier``): entries keep the kind they were written with (it is part of
their hash, so verification reads them as written), and :data:`RENAMED` maps each old name to
its kind, so that a page, the API's ``?kind=`` and the audit read old and new alike.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from django.utils.translation import gettext_noop


class Kind(StrEnum):
    """Every kind of ledger entry (names, not secrets: ruff's S105 does not apply here)."""

    API_TOKEN_ISSUED = "api_token.issued"
    API_TOKEN_REVOKED = "api_token.revoked"
    APPORTIONMENT_COMPUTED = "apportionment.computed"
    BALLOT_CAST = "ballot.cast"
    BODY_CREATED = "body.created"
    BOX_CLOSED = "box.closed"
    BOX_KEYED = "box.keyed"
    BOX_MIXED = "box.mixed"
    BOX_PREPARED = "box.prepared"
    CANDIDATE_ACCEPTED = "candidate.accepted"
    CANDIDATE_NOMINATED = "candidate.nominated"
    CANDIDATE_WITHDRAWN = "candidate.withdrawn"
    COUNCIL_SEATS_CONFIGURED = "council.seats_configured"
    DECRYPTION_SUBMITTED = "decryption.submitted"
    DEPOT_CREATED = "depot.created"
    ELECTION_CALLED = "election.called"
    ELECTION_COUNTED = "election.counted"
    FEDERATION_LINKED = "federation.linked"
    FEDERATION_UNLINKED = "federation.unlinked"
    ITEM_CREATED = "item.created"
    LOGIN_CODE_ISSUED = "login.code_issued"
    LOGIN_CODE_USED = "login.code_used"
    LOGIN_DISABLED = "login.disabled"
    LOGIN_ENABLED = "login.enabled"
    LOGIN_GRANTED = "login.granted"
    LOGIN_PASSWORD_CHANGED = "login.password_changed"
    LOGIN_RESET = "login.reset"
    MANDATE_ENDED = "mandate.ended"
    MANDATE_REBASED = "mandate.rebased"
    MANDATE_RERANKED = "mandate.reranked"
    MANDATE_STARTED = "mandate.started"
    MEMBERSHIP_ENDED = "membership.ended"
    MEMBERSHIP_STARTED = "membership.started"
    OPERATOR_CREATED = "operator.created"
    NEED_REGISTERED = "need.registered"
    PLAN_APPROVED = "plan.approved"
    PLAN_PROPOSED = "plan.proposed"
    PLAN_REJECTED = "plan.rejected"
    PLAN_VOTED = "plan.voted"
    RECIPIENT_REGISTERED = "recipient.registered"
    RECIPIENT_TIER_CHANGED = "recipient.tier_changed"
    ROUTE_SET = "route.set"
    SECRETARY_APPOINTED = "secretary.appointed"
    STOCK_COUNTED = "stock.counted"
    TALLY_ENTERED = "tally.entered"
    TRUSTEE_ACCUSED = "trustee.accused"
    TRUSTEE_COMMITTED = "trustee.committed"
    TRUSTEE_CONFIRMED = "trustee.confirmed"
    TRUSTEE_SHARED = "trustee.shared"


#: The kinds first written under another name: entries keep it; readers map it here.
RENAMED: Mapping[str, Kind] = {
    "paper.tally": Kind.TALLY_ENTERED,
    "plan.vote": Kind.PLAN_VOTED,
    "recipient.tier": Kind.RECIPIENT_TIER_CHANGED,
}


@dataclass(frozen=True)
class Spec:
    """What an entry of one kind records (``label``, as a page names it) and its payload: the
    fields it always carries and those it carries only when they apply."""

    label: str
    fields: tuple[str, ...]
    optional: tuple[str, ...] = ()


_BY = "by"
#: An entry that issues a one-time code names the code's row and carries its digest committed.
_CODE = ("member", "user", "login_code", "code_hash", "code_expires")
#: An approved and a rejected plan record the same: the plan, its digests and the tally.
_DECIDED_PLAN = (
    "plan",
    "committee",
    "problem_digest",
    "result_digest",
    "members",
    "yes",
    "no",
    "abstain",
    "superseded",
    _BY,
)

SPECS: Mapping[Kind, Spec] = {
    Kind.API_TOKEN_ISSUED: Spec(
        gettext_noop("API token issued"), ("token", "user", "name", "key_hash", "prefix")
    ),
    Kind.API_TOKEN_REVOKED: Spec(gettext_noop("API token revoked"), ("token", _BY)),
    Kind.APPORTIONMENT_COMPUTED: Spec(
        gettext_noop("seats apportioned"),
        (
            "apportionment",
            "council",
            "method",
            "seats",
            "min_seats",
            "members_per_seat",
            "shares",
            "quotas",
            "ties",
            _BY,
        ),
    ),
    Kind.BALLOT_CAST: Spec(gettext_noop("ballot cast"), ("election", "member"), ("choices",)),
    Kind.BODY_CREATED: Spec(
        gettext_noop("body created"),
        ("body", "slug", "name", "kind", "level", "place", "description", _BY),
        ("parent",),
    ),
    Kind.BOX_CLOSED: Spec(
        gettext_noop("ballot box closed"), ("box", "ballots", "voters", "digest")
    ),
    Kind.BOX_KEYED: Spec(gettext_noop("election key complete"), ("box", "key")),
    Kind.BOX_MIXED: Spec(gettext_noop("ballot box mixed"), ("box", "ballots", "digest")),
    Kind.BOX_PREPARED: Spec(
        gettext_noop("sealed ballot box prepared, trustees named"),
        ("box", "id", "purpose", "body", "ranked", "threshold", "trustees", "trustee_rows"),
    ),
    Kind.CANDIDATE_ACCEPTED: Spec(
        gettext_noop("nomination accepted"), ("candidate", "election", "member", _BY)
    ),
    Kind.CANDIDATE_NOMINATED: Spec(
        gettext_noop("candidate nominated"),
        ("candidate", "election", "member", "nominated_by", "accepted", "statement", _BY),
    ),
    Kind.CANDIDATE_WITHDRAWN: Spec(
        gettext_noop("nomination withdrawn"), ("candidate", "election", "member", _BY)
    ),
    Kind.COUNCIL_SEATS_CONFIGURED: Spec(
        gettext_noop("council's seats set"),
        ("council", "method", "seats", "min_seats", "members_per_seat", _BY),
    ),
    Kind.DECRYPTION_SUBMITTED: Spec(
        gettext_noop("partial decryption brought by a trustee"),
        ("box", "trustee", "digest", "valid", _BY),
    ),
    Kind.DEPOT_CREATED: Spec(
        gettext_noop("depot created"),
        (
            "depot",
            "id",
            "name",
            "place",
            "committee",
            "commission",
            "latitude",
            "longitude",
            _BY,
        ),
    ),
    Kind.ELECTION_CALLED: Spec(
        gettext_noop("election called"),
        (
            "election",
            "body",
            "council",
            "title",
            "method",
            "mode",
            "seats",
            "substitutes",
            "opens_at",
            "closes_at",
            _BY,
        ),
        ("office",),
    ),
    Kind.ELECTION_COUNTED: Spec(
        gettext_noop("election counted"),
        (
            "election",
            "method",
            "seats",
            "seed",
            "candidates",
            "ballots",
            "elected",
            "substitutes",
            "result_digest",
            _BY,
        ),
    ),
    Kind.FEDERATION_LINKED: Spec(
        gettext_noop("body joined a council"), ("link", "body", "council", _BY)
    ),
    Kind.FEDERATION_UNLINKED: Spec(
        gettext_noop("body left a council"), ("link", "body", "council", _BY)
    ),
    Kind.ITEM_CREATED: Spec(gettext_noop("item registered"), ("item", "id", "name", "unit", _BY)),
    Kind.LOGIN_CODE_ISSUED: Spec(gettext_noop("one-time login code issued"), (*_CODE, _BY)),
    Kind.LOGIN_CODE_USED: Spec(gettext_noop("one-time login code used"), ("member", "user")),
    Kind.LOGIN_DISABLED: Spec(gettext_noop("login disabled"), ("member", "user", _BY)),
    Kind.LOGIN_ENABLED: Spec(gettext_noop("login enabled again"), ("member", "user", _BY)),
    Kind.LOGIN_GRANTED: Spec(gettext_noop("login given"), (*_CODE, "login", _BY)),
    Kind.LOGIN_PASSWORD_CHANGED: Spec(gettext_noop("password changed"), ("member", "user")),
    Kind.LOGIN_RESET: Spec(gettext_noop("login reset"), (*_CODE, "tokens_revoked", _BY)),
    Kind.MANDATE_ENDED: Spec(
        gettext_noop("mandate ended"),
        (
            "mandate",
            "member",
            "constituency",
            "council",
            "role",
            "rank",
            "origin",
            "election",
            "start",
            "end",
            "ended_by",
            "reason",
            _BY,
        ),
        # An entry written by a count names the election that replaced the mandate; one of the
        # cascade names the mandate it was held through (``cause``).
        ("replaced_by", "office", "derives_from", "cause"),
    ),
    Kind.MANDATE_REBASED: Spec(
        gettext_noop("mandate held through a new seat"),
        ("mandate", "member", "derives_from", "previous", _BY),
    ),
    Kind.MANDATE_RERANKED: Spec(
        gettext_noop("substitute's rank changed"), ("mandate", "member", "rank", "previous", _BY)
    ),
    Kind.MANDATE_STARTED: Spec(
        gettext_noop("mandate started"),
        (
            "mandate",
            "member",
            "constituency",
            "council",
            "role",
            "rank",
            "origin",
            "election",
            "start",
            _BY,
        ),
        # Written since mandates form a graph: the office, the seat it is held through, and the
        # mandate it continues (a substitute seated, a delegate who became a substitute); an
        # office an operator filled provisionally, with the reason.
        ("office", "derives_from", "replaces", "provisional", "reason"),
    ),
    Kind.MEMBERSHIP_ENDED: Spec(
        gettext_noop("membership ended"), ("membership", "member", "body", "end", "reason", _BY)
    ),
    Kind.MEMBERSHIP_STARTED: Spec(
        gettext_noop("membership started"),
        ("membership", "member", "body", "role", "sector", "start", _BY),
        ("person",),
    ),
    Kind.OPERATOR_CREATED: Spec(gettext_noop("operator made"), ("user", "login", _BY)),
    Kind.NEED_REGISTERED: Spec(
        gettext_noop("need registered"), ("need", "recipient", "item", "units", _BY)
    ),
    Kind.PLAN_APPROVED: Spec(
        gettext_noop("plan approved"),
        _DECIDED_PLAN,
    ),
    Kind.PLAN_PROPOSED: Spec(
        gettext_noop("plan proposed"),
        ("plan", "committee", "problem_digest", "result_digest", "total_cost", _BY),
    ),
    Kind.PLAN_REJECTED: Spec(
        gettext_noop("plan rejected"),
        _DECIDED_PLAN,
    ),
    Kind.PLAN_VOTED: Spec(gettext_noop("vote on a plan"), ("plan", "member", "choice", _BY)),
    Kind.RECIPIENT_REGISTERED: Spec(
        gettext_noop("recipient registered"),
        (
            "recipient",
            "id",
            "committee",
            "name",
            "kind",
            "body",
            "households",
            "tier",
            "latitude",
            "longitude",
            _BY,
        ),
    ),
    Kind.RECIPIENT_TIER_CHANGED: Spec(
        gettext_noop("recipient's tier changed"), ("recipient", "tier", _BY)
    ),
    Kind.ROUTE_SET: Spec(gettext_noop("route set"), ("depot", "recipient", "cost", _BY)),
    Kind.SECRETARY_APPOINTED: Spec(
        gettext_noop("provisional secretary appointed"),
        (
            "membership",
            "member",
            "body",
            "role",
            "sector",
            "start",
            "provisional",
            "ended",
            "reason",
            _BY,
        ),
    ),
    Kind.STOCK_COUNTED: Spec(
        gettext_noop("stock counted"), ("count", "depot", "item", "units", "note", _BY)
    ),
    Kind.TALLY_ENTERED: Spec(
        gettext_noop("paper tally entered"), ("election", "ballots", "total", _BY)
    ),
    Kind.TRUSTEE_ACCUSED: Spec(
        gettext_noop("trustee reported a share that fails"), ("box", "trustee", "accused", _BY)
    ),
    Kind.TRUSTEE_COMMITTED: Spec(
        gettext_noop("trustee committed to a key part"), ("box", "trustee", "commitment", _BY)
    ),
    Kind.TRUSTEE_CONFIRMED: Spec(
        gettext_noop("trustee confirmed the key part"), ("box", "trustee", "proof", _BY)
    ),
    Kind.TRUSTEE_SHARED: Spec(
        gettext_noop("trustee sealed the shares"), ("box", "trustee", "shares", _BY)
    ),
}


def kind_of(name: str) -> Kind | None:
    """The kind an entry written as ``name`` records (an old name maps to its new kind), or None
    for a name that is no ledger kind."""
    if name in RENAMED:
        return RENAMED[name]
    try:
        return Kind(name)
    except ValueError:
        return None


def names_of(kind: Kind) -> tuple[str, ...]:
    """Every name entries of ``kind`` carry: its own, then those it was first written as."""
    return (kind.value, *sorted(old for old, new in RENAMED.items() if new is kind))


def payload_problem(kind: Kind, payload: object) -> str | None:
    """Why ``payload`` is not a payload of ``kind`` (a missing or unknown field), or None.

    Rule: a payload is an object that carries every field of its kind's spec and no other than
    the spec's optional ones (docs/ledger.md), so that readers and the audit can rely on it.
    """
    if not isinstance(payload, Mapping):
        return f"a {kind} payload is an object"
    spec = SPECS[kind]
    missing = [f for f in spec.fields if f not in payload]
    unknown = sorted(set(payload) - set(spec.fields) - set(spec.optional))
    if missing or unknown:
        return f"a {kind} payload: missing {missing}, unknown {unknown}"
    return None
