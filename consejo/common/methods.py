"""Addresses that take a form's POST, and what they answer to anything else."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect

View = Callable[..., HttpResponse]


def post_or_page(page: str, *keys: str) -> Callable[[View], View]:
    """A view that acts on POST only; a GET (a reloaded or shared address, a phone's back button
    after a failed upload) is sent to the page the form belongs to: the URL ``page``, with the
    view's arguments named ``keys``. Any other method: 405 with its Allow header."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method in ("GET", "HEAD"):
                return redirect(page, **{key: kwargs[key] for key in keys})
            if request.method != "POST":
                return HttpResponseNotAllowed(["GET", "HEAD", "POST"])
            return view(request, *args, **kwargs)

        return wrapper

    return decorate
