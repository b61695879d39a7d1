"""Errors the core raises in English reach people in their language (consejo.common.errors)."""

from __future__ import annotations

from django.utils import translation

from consejo.common.errors import error_body, user_message
from consejo.core.elections import check_choices
from consejo.core.errors import InvalidInput


def raised(**kwargs: object) -> InvalidInput:
    try:
        check_choices(**kwargs)  # type: ignore[arg-type]
    except InvalidInput as error:
        return error
    raise AssertionError("no error")


def test_a_core_error_is_english_in_itself_and_spanish_on_a_spanish_page() -> None:
    error = raised(choices=[1, 2, 3], standing=[1, 2, 3], ranked=False, max_marks=2)
    assert str(error) == "the ballot marks 3 candidates; at most 2 may be"
    with translation.override("es"):
        assert user_message(error) == (
            "el voto marca 3 candidaturas; se pueden marcar como máximo 2"
        )
        assert error_body(error)["error"] == {"code": "invalid", "message": user_message(error)}
    with translation.override("en"):
        assert user_message(error) == str(error)


def test_an_error_without_a_template_is_shown_as_raised() -> None:
    error = InvalidInput("línea 3: algo")
    with translation.override("es"):
        assert user_message(error) == "línea 3: algo"
