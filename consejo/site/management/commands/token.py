"""``consejo token``: issue and revoke API tokens for a person."""

from __future__ import annotations

import argparse
from typing import Any

from django.contrib.auth import get_user_model

from consejo.bodies.services import api_token_issue, api_token_revoke
from consejo.common.commands import ConsejoCommand, fail


class Command(ConsejoCommand):
    summary = "Issue or revoke API tokens"
    help = "Issue (create) or revoke API tokens. The token is printed once and never stored."

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        create = sub.add_parser("create", help="issue a token: USERNAME NAME")
        create.add_argument("username")
        create.add_argument("name", help="what program will use it")
        revoke = sub.add_parser("revoke", help="revoke a token by its id: ID")
        revoke.add_argument("token_id", type=int)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "create":
            user = get_user_model().objects.filter(username=options["username"]).first()
            if user is None:
                raise fail(f"no user called {options['username']!r}")
            self.stdout.write(api_token_issue(user=user, name=options["name"]))
        else:
            operator = get_user_model().objects.filter(is_superuser=True).order_by("pk").first()
            if operator is None:
                raise fail("no operator account exists to revoke tokens")
            api_token_revoke(user=operator, token_id=options["token_id"])
            self.stdout.write(f"token {options['token_id']} revoked")
