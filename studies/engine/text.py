"""Faults of user-given text: what no database or page can hold, and what a name must not hide.

Two levels. ``encoding_fault`` is for every string a client sends: a lone surrogate (half of
a UTF-16 pair, which JSON's ``\\ud800`` escape can produce) cannot be encoded as UTF-8, so a
page that shows it fails; NUL cannot be stored by PostgreSQL. ``label_fault`` is for names
and labels people read: it adds control characters (line breaks can forge the next line of a
log or a generated file) and the Unicode bidi controls that reorder what is displayed
(CVE-2021-42574, "Trojan Source").
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any, Union

# Embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069): text that looks like
# one thing and is another.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_SURROGATE = re.compile("[\ud800-\udfff]")


def encoding_fault(text: str) -> Union[str, None]:
    """Check a string for characters no database or page can take.

    Args:
        text: Any string, e.g. one decoded from a JSON body.

    Returns:
        None when the string is storable text, else the fault, with the character escaped
        so the message itself can be encoded.

    Example:
        >>> encoding_fault("\\ud800")
        'holds a lone surrogate (\\\\ud800), half of a UTF-16 pair, which is not text; send the whole character'
    """
    surrogate = _SURROGATE.search(text)
    if surrogate:
        return (f"holds a lone surrogate ({_escaped(surrogate.group())}), half of a UTF-16 pair, "
                "which is not text; send the whole character")
    if "\x00" in text:
        return "holds a NUL character (\\u0000), which cannot be stored"
    return None


def label_fault(text: str) -> Union[str, None]:
    """Check a name or label that people read: ``encoding_fault`` plus controls.

    Args:
        text: A study name, a choice, a token name...

    Returns:
        None when the text is fit to show, else the fault.

    Example:
        >>> label_fault("churn\\nimport os")
        'holds a control character (\\\\n); names are one line of visible text'
    """
    fault = encoding_fault(text)
    if fault:
        return fault
    for char in text:
        if unicodedata.category(char) == "Cc":
            return f"holds a control character ({_escaped(char)}); names are one line of visible text"
        if char in BIDI_CONTROLS:
            return (f"holds a bidirectional control ({_escaped(char)}), which can make text show "
                    "differently from what it is")
    return None


def _escaped(char: Any) -> str:
    return char.encode("unicode_escape", "backslashreplace").decode("ascii")
