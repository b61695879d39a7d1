"""What the audit covers of bodies, members, federation, seats and logins, and how each of their
ledger kinds rebuilds its rows (consejo.ledger.audit; docs/ledger.md).

Logins live in three tables that are not this app's (Django's ``auth.User``, and the API tokens
and one-time codes of ``common``), but every write to them is a service of this app: their
coverage is declared here, beside the services that write them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from consejo.core.represented import represented_rows, represented_totals
from consejo.ledger.audit import UNKNOWN, Difference, State, Table, register
from consejo.ledger.kinds import Kind

BODY = "bodies.Body"
MEMBER = "bodies.Member"
MEMBERSHIP = "bodies.Membership"
FEDERATION = "bodies.Federation"
APPORTIONMENT = "bodies.Apportionment"
SEATS = "bodies.ApportionedSeats"
REPRESENTED_MEMBER = "bodies.RepresentedMember"
REPRESENTED_COUNT = "bodies.RepresentedCount"
USER = "auth.User"
API_TOKEN = "common.ApiToken"  # noqa: S105 - a table name
CODE = "common.LoginCode"

TABLES = (
    Table(
        BODY,
        fields=(
            "name",
            "slug",
            "kind",
            "level",
            "place",
            "description",
            "seats",
            "apportionment_method",
            "min_seats",
            "members_per_seat",
            "created_at",
        ),
    ),
    Table(MEMBER, fields=("user", "created_at"), personal=("name", "phone")),
    Table(MEMBERSHIP, fields=("member", "body", "sector", "role", "provisional", "start", "end")),
    Table(FEDERATION, fields=("body", "parent", "start", "end")),
    Table(
        APPORTIONMENT,
        fields=(
            "council",
            "method",
            "seats",
            "min_seats",
            "members_per_seat",
            "computed_at",
            "ties",
            "ledger_seq",
        ),
    ),
    Table(
        SEATS,
        fields=("members", "quota", "seats"),
        key=lambda row: f"{row['apportionment']}/{row['body']}",
        reads=("apportionment", "body"),
        not_covered={
            "id": "a number the database draws; a row is named by its apportionment and body"
        },
    ),
    Table(
        USER,
        fields=("is_active", "is_staff", "is_superuser", "date_joined"),
        personal=("username",),
        not_covered={
            "password": "a hash Django rewrites on a login when its hasher's cost rises; every "
            "change of password is an entry (login.password_changed, login.code_used, "
            "login.reset), its value is not",
            "last_login": "written at every login, not an act of the federation",
            "first_name": "consejo never sets nor reads it",
            "last_name": "consejo never sets nor reads it",
            "email": "consejo never sets nor reads it",
        },
    ),
    Table(
        API_TOKEN,
        fields=("user", "name", "created_at", "revoked_at"),
        personal=("key_hash", "prefix"),
    ),
    Table(
        CODE,
        fields=("user", "issued_at", "expires_at", "used_at", "revoked_at"),
        personal=("code_hash",),
    ),
)

NOT_COVERED = {
    REPRESENTED_MEMBER: "derived from the memberships and links, not a record: checked against "
    "the rule recomputed from the replayed ones (represented_counts_agree)",
    REPRESENTED_COUNT: "derived from the memberships and links, not a record: checked against "
    "the rule recomputed from the replayed ones (represented_counts_agree)",
    "auth.Group": "consejo grants no power through Django's groups",
    "auth.Permission": "consejo grants no power through Django's permissions",
    "common.RateCounter": "counts of recent attempts, kept minutes, not a record",
    "sessions.Session": "a login's sessions end with its password; not a record",
    "admin.LogEntry": "the admin is read-only",
    "contenttypes.ContentType": "Django's own index of models",
}


def _get(payload: Mapping[str, Any], name: str) -> Any:
    return payload.get(name, UNKNOWN)


def body_created(state: State, p: Mapping[str, Any]) -> None:
    state.put(
        BODY,
        p["body"],
        {
            "name": p["name"],
            "slug": p["slug"],
            "kind": p["kind"],
            "level": p["level"],
            "place": _get(p, "place"),
            "description": _get(p, "description"),
            "seats": None,
            "apportionment_method": "",
            "min_seats": 0,
            "members_per_seat": None,
            "created_at": state.at,
        },
    )
    state.name(BODY, p["slug"], p["body"])
    if parent := p.get("parent"):
        _link(state, parent["link"], p["body"], state.named(BODY, parent["council"]))


def _link(state: State, link: int, body: object, council: object) -> None:
    state.put(FEDERATION, link, {"body": body, "parent": council, "start": state.at, "end": None})


def federation_linked(state: State, p: Mapping[str, Any]) -> None:
    _link(state, p["link"], state.named(BODY, p["body"]), state.named(BODY, p["council"]))


def federation_unlinked(state: State, p: Mapping[str, Any]) -> None:
    state.patch(FEDERATION, p["link"], end=state.at)


def council_seats_configured(state: State, p: Mapping[str, Any]) -> None:
    state.patch(
        BODY,
        state.named(BODY, p["council"]),
        apportionment_method=p["method"],
        seats=p["seats"],
        min_seats=p["min_seats"],
        members_per_seat=p["members_per_seat"],
    )


def apportionment_computed(state: State, p: Mapping[str, Any]) -> None:
    record = p.get("apportionment")
    if record is None:
        state.problem("it does not name its apportionment (written before entries did)")
        return
    state.put(
        APPORTIONMENT,
        record,
        {
            "council": state.named(BODY, p["council"]),
            "method": p["method"],
            "seats": p["seats"],
            "min_seats": _get(p, "min_seats"),
            "members_per_seat": _get(p, "members_per_seat"),
            "computed_at": state.at,
            "ties": p.get("ties", []),
            "ledger_seq": state.seq,
        },
    )
    quotas = p.get("quotas") or [UNKNOWN] * len(p["shares"])
    for (slug, members, seats), quota in zip(p["shares"], quotas, strict=True):
        state.put(
            SEATS,
            f"{record}/{state.named(BODY, slug)}",
            {"members": members, "quota": quota, "seats": seats},
        )


def _membership(state: State, p: Mapping[str, Any], *, provisional: bool) -> None:
    state.put(
        MEMBERSHIP,
        p["membership"],
        {
            "member": p["member"],
            "body": state.named(BODY, p["body"]),
            "sector": p["sector"],
            "role": p["role"],
            "provisional": provisional,
            "start": p["start"],
            "end": None,
        },
    )


def membership_started(state: State, p: Mapping[str, Any]) -> None:
    if person := p.get("person"):
        state.put(
            MEMBER,
            p["member"],
            {
                "name": person["name"],
                "phone": person["phone"],
                "user": None,
                "created_at": state.at,
            },
        )
    _membership(state, p, provisional=False)


def membership_ended(state: State, p: Mapping[str, Any]) -> None:
    state.patch(MEMBERSHIP, p["membership"], end=p["end"])


def secretary_appointed(state: State, p: Mapping[str, Any]) -> None:
    state.patch(MEMBERSHIP, p["ended"], end=p["start"])
    _membership(state, p, provisional=p["provisional"])


def _new_login(state: State, p: Mapping[str, Any], *, operator: bool) -> None:
    state.put(
        USER,
        p["user"],
        {
            "username": _get(p, "login"),
            "is_active": True,
            "is_staff": operator,
            "is_superuser": operator,
            "date_joined": state.at,
        },
    )


def _new_code(state: State, p: Mapping[str, Any]) -> None:
    """The code an entry issues replaces the login's open one (one open code per login)."""
    user = p["user"]
    if (open_code := state.names.pop((CODE, f"open/{user}"), None)) is not None:
        state.patch(CODE, open_code, revoked_at=state.at)
    code = p.get("login_code")
    if code is None:
        state.problem("it does not name its one-time code (written before entries did)")
        return
    state.put(
        CODE,
        code,
        {
            "user": user,
            "code_hash": _get(p, "code_hash"),
            "issued_at": state.at,
            "expires_at": p["code_expires"],
            "used_at": None,
            "revoked_at": None,
        },
    )
    state.name(CODE, f"open/{user}", code)


def login_granted(state: State, p: Mapping[str, Any]) -> None:
    _new_login(state, p, operator=False)
    state.patch(MEMBER, p["member"], user=p["user"])
    state.name(MEMBER, f"user/{p['user']}", p["member"])
    _new_code(state, p)


def login_code_issued(state: State, p: Mapping[str, Any]) -> None:
    _new_code(state, p)


def login_reset(state: State, p: Mapping[str, Any]) -> None:
    for key, row in state.rows(API_TOKEN).items():
        if row["user"] == p["user"] and row["revoked_at"] is None:
            state.patch(API_TOKEN, key, revoked_at=state.at)
    _new_code(state, p)


def login_code_used(state: State, p: Mapping[str, Any]) -> None:
    open_code = state.names.pop((CODE, f"open/{p['user']}"), None)
    if open_code is None:
        state.problem(f"login {p['user']} had no open code to use")
        return
    state.patch(CODE, open_code, used_at=state.at)


def login_disabled(state: State, p: Mapping[str, Any]) -> None:
    state.patch(USER, p["user"], is_active=False)


def login_enabled(state: State, p: Mapping[str, Any]) -> None:
    state.patch(USER, p["user"], is_active=True)


def password_changed(state: State, p: Mapping[str, Any]) -> None:
    """A new password: the hash is not covered (see auth.User's not_covered)."""
    state.row(USER, p["user"])


def operator_created(state: State, p: Mapping[str, Any]) -> None:
    _new_login(state, p, operator=True)


def api_token_issued(state: State, p: Mapping[str, Any]) -> None:
    state.put(
        API_TOKEN,
        p["token"],
        {
            "user": p["user"],
            "name": p["name"],
            "key_hash": _get(p, "key_hash"),
            "prefix": _get(p, "prefix"),
            "created_at": state.at,
            "revoked_at": None,
        },
    )


def api_token_revoked(state: State, p: Mapping[str, Any]) -> None:
    state.patch(API_TOKEN, p["token"], revoked_at=state.at)


def represented_counts_agree(state: State) -> list[Difference]:
    """The kept represented counts (``bodies.counts``) are the rule (``core.represented``)
    applied to the memberships and links that the ledger says are in force: a count edited
    behind the services is named (row ``council/member``, or the body's id)."""
    from consejo.bodies.models import RepresentedCount, RepresentedMember

    councils = {
        int(key)
        for key, row in state.rows(BODY).items()
        if row.get("kind") in ("council", "committee")
    }
    memberships = [
        (row["member"], row["body"])
        for row in state.rows(MEMBERSHIP).values()
        if row.get("end") is None
    ]
    links = [
        (row["body"], row["parent"])
        for row in state.rows(FEDERATION).values()
        if row.get("end") is None
    ]
    wanted = {
        REPRESENTED_MEMBER: {
            f"{council}/{member}": n
            for (council, member), n in represented_rows(memberships, links, councils).items()
        },
        REPRESENTED_COUNT: {
            str(body): n for body, n in represented_totals(memberships, links, councils).items()
        },
    }
    held = {
        REPRESENTED_MEMBER: {
            f"{council}/{member}": n
            for council, member, n in RepresentedMember.objects.values_list(
                "council_id", "member_id", "bodies"
            ).iterator()
        },
        REPRESENTED_COUNT: {
            str(body): n
            for body, n in RepresentedCount.objects.values_list("body_id", "members").iterator()
            if n
        },
    }
    field = {REPRESENTED_MEMBER: "bodies", REPRESENTED_COUNT: "members"}
    out = []
    for label, want in wanted.items():
        have = held[label]
        for key in sorted(want.keys() | have.keys()):
            if want.get(key, 0) != have.get(key, 0):
                out.append(
                    Difference(label, key, field[label], want.get(key, 0), have.get(key, 0), None)
                )
    return out


def register_replay() -> None:
    """Register this app's tables and replayers with the audit (from ``BodiesConfig.ready``)."""
    register(
        tables=TABLES,
        not_covered=NOT_COVERED,
        checks=(represented_counts_agree,),
        replayers={
            Kind.BODY_CREATED: body_created,
            Kind.FEDERATION_LINKED: federation_linked,
            Kind.FEDERATION_UNLINKED: federation_unlinked,
            Kind.COUNCIL_SEATS_CONFIGURED: council_seats_configured,
            Kind.APPORTIONMENT_COMPUTED: apportionment_computed,
            Kind.MEMBERSHIP_STARTED: membership_started,
            Kind.MEMBERSHIP_ENDED: membership_ended,
            Kind.SECRETARY_APPOINTED: secretary_appointed,
            Kind.LOGIN_GRANTED: login_granted,
            Kind.LOGIN_CODE_ISSUED: login_code_issued,
            Kind.LOGIN_RESET: login_reset,
            Kind.LOGIN_CODE_USED: login_code_used,
            Kind.LOGIN_DISABLED: login_disabled,
            Kind.LOGIN_ENABLED: login_enabled,
            Kind.LOGIN_PASSWORD_CHANGED: password_changed,
            Kind.OPERATOR_CREATED: operator_created,
            Kind.API_TOKEN_ISSUED: api_token_issued,
            Kind.API_TOKEN_REVOKED: api_token_revoked,
        },
    )
