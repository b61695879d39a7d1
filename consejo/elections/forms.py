from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _, gettext_lazy

from consejo.core.errors import InvalidInput
from consejo.elections.choices import BallotMode, Method

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"
MAX_TALLY_TEXT = 2_000_000  # characters of a typed or uploaded tally


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format=DATETIME_LOCAL)


class ElectionCreateForm(forms.Form):
    council = forms.ChoiceField(label=gettext_lazy("Elect people to"))
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200)
    method = forms.ChoiceField(label=gettext_lazy("Counting method"), choices=Method.choices)
    mode = forms.ChoiceField(label=gettext_lazy("Ballot"), choices=BallotMode.choices)
    opens_at = forms.DateTimeField(label=gettext_lazy("Voting opens"), widget=DateTimeLocalInput())
    closes_at = forms.DateTimeField(
        label=gettext_lazy("Voting closes"), widget=DateTimeLocalInput()
    )
    seats = forms.IntegerField(
        label=gettext_lazy("Seats (leave empty to take those apportioned)"),
        min_value=1,
        max_value=1000,
        required=False,
    )
    substitutes = forms.IntegerField(
        label=gettext_lazy("Substitutes (leave empty for as many as the seats)"),
        min_value=0,
        max_value=100,
        required=False,
    )
    trustees = forms.MultipleChoiceField(
        label=gettext_lazy("Trustees of the secret ballot (at least three)"),
        help_text=gettext_lazy(
            "Members with a login who will hold the parts of the election key on their own "
            "devices and open the box at the count. If fewer than the number needed can come to "
            "the count, the vote is void."
        ),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    threshold = forms.IntegerField(
        label=gettext_lazy("Trustees needed to count (leave empty for a majority of them)"),
        min_value=2,
        max_value=25,
        required=False,
    )

    def __init__(
        self,
        *args: Any,
        councils: list[tuple[str, str]],
        trustees: list[tuple[str, str]] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        council = self.fields["council"]
        if isinstance(council, forms.ChoiceField):
            council.choices = councils
        people = self.fields["trustees"]
        if isinstance(people, forms.MultipleChoiceField):
            people.choices = trustees or []
        zone = timezone.get_current_timezone_name()
        for name in ("opens_at", "closes_at"):
            self.fields[name].help_text = _("Time in %(zone)s, the server's time zone.") % {
                "zone": zone
            }


class NominateForm(forms.Form):
    member = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    statement = forms.CharField(
        label=gettext_lazy("Statement (optional)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class TallyTextForm(forms.Form):
    """A ranked paper tally: typed lines, or an uploaded BLT file."""

    lines = forms.CharField(
        label=gettext_lazy("Ballots, one kind per line"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "false"}),
    )
    blt = forms.FileField(label=gettext_lazy("Or a BLT file"), required=False)


def parse_tally_lines(text: str, n_candidates: int) -> list[tuple[tuple[int, ...], int]]:
    """Read typed tally lines ``COUNT: numbers in order of preference`` ("37: 2 1 3").

    Numbers are those printed beside the candidates (from 1); blank lines and lines starting
    with ``#`` are skipped. Returns (candidate indexes from 0, count) pairs; an error names the
    line.
    """
    out: list[tuple[tuple[int, ...], int]] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        count_text, colon, rest = line.partition(":")
        count_text = count_text.strip()
        if not colon or not re.fullmatch(r"[0-9]{1,9}", count_text):
            raise InvalidInput(
                _("line %(n)d: write the number of ballots, a colon, then the candidates' numbers")
                % {"n": number}
            )
        order: list[int] = []
        for token in rest.split():
            if not re.fullmatch(r"[0-9]{1,6}", token) or not 1 <= int(token) <= n_candidates:
                raise InvalidInput(
                    _("line %(n)d: “%(token)s” is not a candidate number (1 to %(max)d)")
                    % {"n": number, "token": token[:20], "max": n_candidates}
                )
            order.append(int(token) - 1)
        if not order:
            raise InvalidInput(_("line %(n)d: no candidate named") % {"n": number})
        out.append((tuple(order), int(count_text)))
    return out
