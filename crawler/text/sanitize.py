"""Text from a crawled site made safe to print to a terminal or write into a report.

A hostile page can put terminal escape sequences in its title (ESC [ … colour or cursor moves, ESC ] …
OSC that sets the window title or writes a hyperlink), carriage returns that overwrite a line, or bidi
overrides that reorder what a reader sees. None of them belongs in a report: they are removed, whole
sequences first, then any control character left. Tab and newline stay.
"""
from __future__ import annotations

import re
from typing import Any

# CSI (ESC [ params final) and OSC/DCS/APC/PM strings (ESC ] … BEL or ST); bounded so a run of ESC
# characters can never make the pattern backtrack (every regex that sees site text is linear).
_ESCAPE_SEQUENCE = re.compile(r"\x1b\[[0-?]{0,64}[ -/]{0,16}[@-~]|[\x1b\x9b\x9d\x90\x9e\x9f]"
                              r"(?:[\]P^_][^\x07\x1b\x9c]{0,4096}(?:\x07|\x1b\\|\x9c)?)?")
# C0 except tab and newline, DEL, C1, and the bidi embeddings/overrides/isolates.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def clean_text(text: str) -> str:
    """`text` without escape sequences and control characters (tab and newline kept)."""
    if not text or (text.isprintable() and "\x1b" not in text):
        return text
    return _CONTROL.sub("", _ESCAPE_SEQUENCE.sub("", text))


def clean(value: Any) -> Any:
    """A copy of a JSON-like value (a report) with every string, key or value, cleaned."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, dict):
        return {clean(k): clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [clean(v) for v in value]
    return value


class CleanStream:
    """A text stream that cleans what is written to it (the CLI's stdout: every print is site text
    away from a terminal escape). Everything else is the wrapped stream's."""

    def __init__(self, stream):
        self._stream = stream

    def write(self, text: str) -> int:
        self._stream.write(clean_text(text))
        return len(text)

    def __getattr__(self, name: str):
        return getattr(self._stream, name)
