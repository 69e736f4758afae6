"""Untrusted request input read safely: JSON bodies, and ids and numbers from query strings.

The API's parser and the pages' JSON endpoints both read bodies here, so a body meets the
same rules wherever it is sent; the views that read ids and page numbers from a query
string read them here, so no number reaches a database column it does not fit.
"""

import json
import math
import re

import numpy as np

from studies.engine import encoding_fault

# Study specs nest five or six levels; nothing a client sends needs more. Deeper bodies are
# refused before json.loads, whose recursion a body nested thousands deep would exhaust.
MAX_JSON_DEPTH = 32
# The widest integer column (bigint: ids, revisions); a larger number matches no row.
MAX_DB_INT = 2**63 - 1
MAX_FAULTS_SHOWN = 10

# Strings first, so brackets inside them are not counted; possessive, so an unterminated
# string cannot make the pattern backtrack.
_STRINGS = re.compile(r'"(?:[^"\\]++|\\.)*+"', re.DOTALL)
_NOT_BRACKETS = re.compile(r"[^\[\]{}]++")
_DEPTH_STEPS = bytes.maketrans(b"[{]}", b"\x01\x01\xff\xff")
_DIGITS = re.compile(r"[0-9]+")


class BadInput(ValueError):
    """Input refused; `field` is the path of the value at fault, or None for the body as a whole."""

    def __init__(self, message, field=None, errors=None):
        super().__init__(message)
        self.message = message
        self.field = field
        self.errors = errors or ({field: [message]} if field else {})


def load_json(raw):
    """Parse a JSON body strictly and return the value.

    Refused: bytes that are not UTF-8, nesting deeper than MAX_JSON_DEPTH, NaN and
    Infinity, numbers that overflow to infinity, a key given twice in one object, and
    strings (keys too) that hold a lone surrogate or NUL.

    Raises:
        BadInput: `field` None for a body that is not acceptable JSON; otherwise `errors`
            maps the path of each string at fault (``search_space.c.choices[1]``) to its fault.
    """
    try:
        text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
    except UnicodeDecodeError:
        raise BadInput("the body is not valid UTF-8") from None
    if _deeper_than(text, MAX_JSON_DEPTH):
        raise BadInput(f"the body nests deeper than {MAX_JSON_DEPTH} levels")
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


def _deeper_than(text, limit):
    brackets = _NOT_BRACKETS.sub("", _STRINGS.sub("", text))
    if len(brackets) <= limit:
        return False
    # Each opening bracket is +1 and each closing one -1 (0xff as int8); the deepest point is
    # the largest running sum. numpy keeps this linear scan in C for a body of megabytes.
    steps = np.frombuffer(brackets.encode("ascii").translate(_DEPTH_STEPS), dtype=np.int8)
    return int(np.cumsum(steps, dtype=np.int64).max()) > limit


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
    stack = [("", value)]
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


def query_int(raw, default):
    """A whole number written in ASCII digits, as a page number or an id in a query string.

    Returns:
        The number, at most MAX_DB_INT: a larger one matches no row and is past any page,
        and must not reach the database, whose integers it overflows. `default` when raw
        is None or not ASCII digits (``"²"`` is a digit to str.isdigit, not to int()).
    """
    if raw is None or not _DIGITS.fullmatch(raw):
        return default
    return MAX_DB_INT if len(raw) > 19 else min(int(raw), MAX_DB_INT)


def query_ids(raws, limit=100):
    """Row ids from a query string, given as repeated parameters and/or comma-separated.

    What cannot be a row's id (junk, zero, a number wider than any id column) matches no
    row, so it is left out, as an id of a study the user may not see is; at most `limit`.
    """
    items = (item.strip() for raw in raws for item in raw.split(","))
    ids = (query_int(item, 0) for item in items)
    return [value for value in ids if 0 < value < MAX_DB_INT][:limit]
