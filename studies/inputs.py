"""Untrusted request input read safely: JSON bodies.

The API's parser and the pages' JSON endpoints both read bodies here, so a body meets the
same rules wherever it is sent.
"""

import json
import math

from studies.engine import encoding_fault

MAX_FAULTS_SHOWN = 10


class BadInput(ValueError):
    """Input refused; `field` is the path of the value at fault, or None for the body as a whole."""

    def __init__(self, message, field=None, errors=None):
        super().__init__(message)
        self.message = message
        self.field = field
        self.errors = errors or ({field: [message]} if field else {})


def load_json(raw):
    """Parse a JSON body strictly and return the value.

    Refused: bytes that are not UTF-8, NaN and Infinity, numbers that overflow to
    infinity, a key given twice in one object, and strings (keys too) that hold a lone
    surrogate or NUL.

    Raises:
        BadInput: `field` None for a body that is not acceptable JSON; otherwise `errors`
            maps the path of each string at fault (``search_space.c.choices[1]``) to its fault.
    """
    try:
        text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
    except UnicodeDecodeError:
        raise BadInput("the body is not valid UTF-8") from None
    try:
        value = json.loads(text, parse_constant=_refuse_constant, parse_float=_finite_float,
                           object_pairs_hook=_refuse_duplicates)
    except ValueError as exc:
        raise BadInput(str(exc)) from None
    faults = _text_faults(value)
    if faults:
        field, message = faults[0]
        raise BadInput(message, field, errors={path: [fault] for path, fault in faults})
    return value


def _refuse_constant(name):
    raise ValueError(f"{name} is not valid JSON; send a finite number")


def _finite_float(text):
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"{text} is too large to be a number")
    return value


def _refuse_duplicates(pairs):
    seen = {}
    for key, value in pairs:
        if key in seen:
            raise ValueError(f"the key {json.dumps(key)} appears twice in one object")
        seen[key] = value
    return seen


def _text_faults(value):
    """(path, fault) for each string, key or value, that is not storable text; at most MAX_FAULTS_SHOWN."""
    faults = []
    stack = [("", value)]  # a loop, not recursion: a body may nest as deep as json.loads allows
    while stack and len(faults) < MAX_FAULTS_SHOWN:
        path, item = stack.pop()
        if isinstance(item, str):
            fault = encoding_fault(item)
            if fault:
                faults.append((path or "body", fault))
        elif isinstance(item, dict):
            for key, child in reversed(item.items()):
                fault = encoding_fault(key)
                if fault:
                    faults.append((path or "body", f"the key {json.dumps(key)} {fault}"))
                else:
                    stack.append((f"{path}.{key}" if path else key, child))
        elif isinstance(item, list):
            stack.extend((f"{path}[{i}]", child) for i, child in reversed(list(enumerate(item))))
    return faults
