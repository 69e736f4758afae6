"""How engine messages quote values: as JSON, the language the user wrote them in."""

import json

_MAX_SHOWN = 80


def show(value):
    """Quote a value for an error message.

    Args:
        value: Anything; usually a JSON scalar, list or object.

    Returns:
        JSON text (``true``, ``null``, ``"poly"``, ``NaN``), or ``repr`` when the value is
        not JSON. Non-ASCII and control characters are escaped, and long text is cut
        to 80 characters so one bad value cannot flood a message.

    Example:
        >>> show(True), show("poly"), show(float("inf"))
        ('true', '"poly"', 'Infinity')
    """
    try:
        text = json.dumps(value, ensure_ascii=True)
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= _MAX_SHOWN else text[: _MAX_SHOWN - 3] + "..."
