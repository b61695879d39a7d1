"""What every page shows about the person viewing it, computed once (templates do not decide)."""

from __future__ import annotations

from django.http import HttpRequest

from consejo.bodies.selectors import viewer_member


def viewer(request: HttpRequest) -> dict[str, object]:
    """``viewer``: can they open the admin, which member are they (id and name) if any."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"viewer": {"can_admin": False, "member": None, "label": ""}}
    member = viewer_member(user)
    return {
        "viewer": {
            "can_admin": bool(user.is_active and user.is_staff),
            "member": member,
            "label": member[1] if member else user.get_username(),
        }
    }
