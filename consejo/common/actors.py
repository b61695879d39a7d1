"""Who acts in a service: the login behind a request, or the anonymous visitor.

Services, access checks and selectors take ``actor: Actor``; authority is decided from it in
``consejo.bodies.authority`` and nowhere else. ``request.user`` is one, and so is the login a
command or the demo acts as.
"""

from __future__ import annotations

from typing import TypeAlias

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser

#: The type of ``request.user`` (django-stubs): a login, or the anonymous visitor.
Actor: TypeAlias = AbstractBaseUser | AnonymousUser
