"""Markdown to safe HTML: python-markdown renders, nh3 (ammonia) keeps only harmless tags."""

import markdown
import nh3
from django.utils.safestring import mark_safe

TAGS = {"p", "br", "hr", "em", "strong", "code", "pre", "blockquote", "ul", "ol", "li", "a",
        "h1", "h2", "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td", "del"}
ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}}


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

