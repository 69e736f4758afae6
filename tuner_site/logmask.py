"""Share-link tokens never reach a log: only their first characters are written.

A share link's token is stored only as a hash, so whoever reads the logs must not find it in
clear either. Access logs (gunicorn, tuner_site/gunicorn_conf.py) and the app's own log
records (a 404 for a revoked link, a 500 on a share page) go through mask_share_tokens.
"""

import logging
import re
from urllib.parse import unquote

SHOWN = 6
# The token is the path segment after /share/; the app decodes %-escapes before routing, so
# "/%73hare/<token>/" reaches the same view and is masked too.
_SHARE_TOKEN = re.compile(rf"(/share/)([^/?#\s\"]{{0,{SHOWN}}})[^/?#\s\"]*", re.IGNORECASE)


def mask_share_tokens(text):
    """Return text with every share token cut to its first 6 characters and "…".

    Example:
        >>> mask_share_tokens("GET /share/Ab3dEfGhIjKlMnOp/live.json?since=4 HTTP/1.1")
        'GET /share/Ab3dEf…/live.json?since=4 HTTP/1.1'
    """
    decoded = unquote(text) if "%" in text else text
    if not _SHARE_TOKEN.search(decoded):
        return text
    return _SHARE_TOKEN.sub(lambda match: f"{match.group(1)}{match.group(2)}…", decoded)


class MaskShareTokens(logging.Filter):
    """A logging filter that masks share tokens in a record's message (Django's "Not Found: /share/…")."""

    def filter(self, record):
        message = record.getMessage()
        masked = mask_share_tokens(message)
        if masked != message:
            record.msg, record.args = masked, ()
        return True
