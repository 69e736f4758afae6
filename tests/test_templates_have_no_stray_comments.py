"""Django's {# #} comments end at the line: a multi-line one would show its text on the page."""

import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def test_no_template_has_a_multiline_hash_comment():
    offenders = [
        str(path.relative_to(TEMPLATES))
        for path in TEMPLATES.rglob("*.html")
        for match in re.finditer(r"\{#(.*?)#\}", path.read_text(), flags=re.S)
        if "\n" in match.group(1)
    ]

    assert offenders == []
