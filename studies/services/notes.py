"""Notes in Markdown on a study or one of its trials, and the safe HTML they are shown as."""

import markdown
import nh3
from django.db import transaction
from django.utils.safestring import mark_safe

from studies.models import Note, Trial

from .errors import InvalidInput

MAX_NOTE_CHARS = 20_000
TAGS = {"p", "br", "hr", "em", "strong", "code", "pre", "blockquote", "ul", "ol", "li", "a",
        "h1", "h2", "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td", "del"}
ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}}


def save_note(study_id, trial_number, text, user):
    """Write the note on a study (trial_number None) or one of its trials; empty text deletes it.

    Returns the note, or None when it was deleted.
    """
    if not isinstance(text, str):
        raise InvalidInput.single("text", "must be text")
    if len(text) > MAX_NOTE_CHARS:
        raise InvalidInput.single("text", f"a note holds at most {MAX_NOTE_CHARS:,} characters, got {len(text):,}")
    trial = None
    if trial_number is not None:
        trial = Trial.objects.filter(study_id=study_id, number=trial_number).only("pk").first()
        if trial is None:
            raise InvalidInput.single("trial", f"the study has no trial #{trial_number}")
    with transaction.atomic():
        if not text.strip():
            Note.objects.filter(study_id=study_id, trial=trial).delete()
            return None
        note, _ = Note.objects.update_or_create(study_id=study_id, trial=trial,
                                                defaults={"text": text, "updated_by": user})
    return note


def render_markdown(text):
    """Markdown as HTML that is safe to put in a page: no raw HTML, scripts, styles or handlers.

    Markdown's raw-HTML rules are switched off, so `<script>` in the source renders as text;
    the result still goes through nh3, which drops whatever is not in TAGS and ATTRIBUTES and
    any link that is not http, https or mailto.
    """
    converter = markdown.Markdown(extensions=["tables", "fenced_code", "sane_lists"])
    converter.preprocessors.deregister("html_block")
    converter.inlinePatterns.deregister("html")
    html = converter.convert(text or "")
    clean = nh3.clean(html, tags=TAGS, attributes=ATTRIBUTES, url_schemes={"http", "https", "mailto"},
                      link_rel="noopener noreferrer nofollow")
    return mark_safe(clean)  # noqa: S308 — sanitised by nh3 just above
