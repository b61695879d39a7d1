"""``consejo trustee``: a trustee's part of a sealed vote, on the trustee's own laptop.

No Django and no database: it reads the box's file (downloaded from the election's trustee page
or ``GET /api/v1/boxes/{reference}``) and the trustee's card, and prints the step's file to bring
back (upload it on the same page, or ``POST /api/v1/boxes/{reference}/steps``). The card is
made here, by ``card``, and never leaves the trustee: the server sees only what the steps print.

    consejo trustee card BOX.json --card CARD.txt [--print CARD.html]   step 1: commit
    consejo trustee shares BOX.json --card CARD.txt                    step 2: seal shares
    consejo trustee confirm BOX.json --card CARD.txt                   step 3: confirm
    consejo trustee decrypt BOX.json --card CARD.txt                   at the count
    consejo trustee check BOX.json --card CARD.txt                     is this my card?
"""

from __future__ import annotations

import argparse
import html
import json
import os
import secrets
from pathlib import Path

from consejo.common.inputs import UsageError, read_input
from consejo.core.errors import ConsejoError
from consejo.core.sealed import card as cards, files, steps

ACTIONS = ("card", "shares", "confirm", "decrypt", "check")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("action", choices=ACTIONS, help="the step")
    parser.add_argument("box", metavar="BOX.json", help="the box's file, from the server")
    parser.add_argument(
        "--card",
        required=True,
        metavar="CARD.txt",
        help="the card: made by 'card' (which refuses to overwrite one), read by the others",
    )
    parser.add_argument("--trustee", type=int, help="your number (default: the card's)")
    parser.add_argument(
        "--language",
        choices=cards.LANGUAGES,
        default="spanish",
        help="the card's words (default: spanish); reading, either is understood",
    )
    parser.add_argument("--print", dest="printable", metavar="CARD.html", help="a card to print")


def card_text(reference: str, index: int, seed: bytes, language: str) -> str:
    words = cards.words(seed, language)
    lines = [cards.qr_payload(reference, index, seed), ""]
    lines += [
        "  ".join(f"{n + 1:>2}. {w}" for n, w in enumerate(words[i : i + 6], start=i))
        for i in range(0, 24, 6)
    ]
    return "\n".join(lines) + "\n"


def card_html(reference: str, index: int, seed: bytes, language: str) -> str:
    """A printable card: the QR code (segno, as inline SVG) and the numbered words."""
    import segno

    qr = segno.make(cards.qr_payload(reference, index, seed), error="m")
    svg = qr.svg_inline(scale=4, border=2)
    words = cards.words(seed, language)
    cells = "".join(f"<li>{html.escape(w)}</li>" for w in words)
    title = "Tarjeta de custodio" if language == "spanish" else "Trustee card"
    note = (
        "Guárdela en un lugar seguro. Quien tenga esta tarjeta tiene su parte de la clave."
        if language == "spanish"
        else "Keep it safe. Whoever holds this card holds your part of the key."
    )
    return (
        f'<!doctype html><html lang="{language[:2]}"><meta charset="utf-8">'
        f"<title>{title}</title><style>body{{font-family:sans-serif;max-width:40em}}"
        f"ol{{columns:3;font-size:1.1em}}</style>"
        f"<h1>{title} {index}</h1><p>{html.escape(reference)}</p>{svg}<ol>{cells}</ol>"
        f"<p>{note}</p></html>\n"
    )


def _write_new(path: str, text: str) -> None:
    try:
        # O_EXCL: a card already there is never overwritten (it may be the only copy).
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise UsageError(f"{path}: already exists; a card is never overwritten") from None
    except OSError as error:
        raise UsageError(f"{path}: {error.strerror or error}") from None
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(text)


def run(options: argparse.Namespace) -> str:
    """The step's file (JSON) that ``consejo trustee`` prints, or a UsageError."""
    try:
        box = files.read_box(read_input(options.box))
        if options.action == "card":
            index = options.trustee or box.you
            if index is None:
                raise UsageError("say which trustee you are: --trustee N")
            seed = secrets.token_bytes(32)
            step = steps.step_commit(box, index, seed)
            _write_new(options.card, card_text(box.reference, index, seed, options.language))
            if options.printable:
                _write_new(
                    options.printable, card_html(box.reference, index, seed, options.language)
                )
            return json.dumps(step)
        reference, card_index, seed = cards.read_card(_card_line(read_input(options.card)))
        if reference is not None and reference != box.reference:
            raise UsageError("this card belongs to another box")
        index = options.trustee or card_index or box.you
        if index is None:
            raise UsageError("say which trustee you are: --trustee N")
        if options.action == "check":
            steps.check_card(box, index, seed)
            return json.dumps({"ok": True, "box": box.reference, "trustee": index})
        step = {
            "shares": steps.step_shares,
            "confirm": steps.step_confirm,
            "decrypt": steps.step_decrypt,
        }[options.action](box, index, seed)
        return json.dumps(step)
    except ConsejoError as error:
        raise UsageError(f"{Path(options.box).name}: {error}") from None


def _card_line(text: str) -> str:
    """The card file's QR line if it has one, else all its words (numbers and dots dropped)."""
    for line in text.splitlines():
        if line.strip().startswith(cards.QR_PREFIX):
            return line.strip()
    return " ".join(w for w in text.replace(".", " ").split() if not w.isdigit())
