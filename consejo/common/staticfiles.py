"""Static files named by their content once collected, and by their own name before.

After ``consejo collectstatic`` (a production install) pages link ``consejo.<hash>.css``, which
WhiteNoise serves compressed and phones keep for a year; a new version links new names. Before it
(``make run``, the tests) there is no manifest, and pages link the files' own names, which
WhiteNoise serves from the app folders: nothing to collect for the demo.
"""

from __future__ import annotations

from typing import Any

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticStorage(CompressedManifestStaticFilesStorage):
    manifest_strict = False

    def hashed_name(self, name: str, content: Any = None, filename: str | None = None) -> str:
        try:
            return str(super().hashed_name(name, content, filename))
        except ValueError:
            # Not collected (or added since the last collectstatic): its own name still works.
            return name
