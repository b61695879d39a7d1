"""Reads for the bodies pages and API: the federation's tree, a body's page, rosters, councils,
and the state of a member's login. Selectors never write."""

from __future__ import annotations

from consejo.bodies.selectors.bodies import (
    ROSTER_PAGE_SIZE,
    BodyPage,
    SeatsInCouncil,
    TreeNode,
    body_list,
    body_page,
    child_links,
    councils_managed,
    creatable_kinds,
    federation_tree,
    home_summary,
    latest_apportionments,
    linkable_bodies,
    member_counts,
    member_memberships,
    membership_end_refusal,
    membership_list,
    sole_secretary_membership,
)
from consejo.bodies.selectors.logins import (
    LoginCardsDue,
    LoginStatus,
    login_cards_due,
    login_status,
    viewer_member,
)

__all__ = [
    "ROSTER_PAGE_SIZE",
    "BodyPage",
    "LoginCardsDue",
    "LoginStatus",
    "SeatsInCouncil",
    "TreeNode",
    "body_list",
    "body_page",
    "child_links",
    "councils_managed",
    "creatable_kinds",
    "federation_tree",
    "home_summary",
    "latest_apportionments",
    "linkable_bodies",
    "login_cards_due",
    "login_status",
    "member_counts",
    "member_memberships",
    "membership_end_refusal",
    "membership_list",
    "sole_secretary_membership",
    "viewer_member",
]
