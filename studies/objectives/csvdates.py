"""Dates in uploaded CSVs: which cells are dates, and the number a model learns from one.

Read as dates, because each can mean only one day:

- year first: ``2024-03-31`` or ``2024/03/31`` (month and day may have one digit), optionally
  with a time after ``T`` or a space (``09:30``, ``09:30:15`` or ``09:30:15.250``) and, after
  the time, ``Z`` or an offset from UTC (``+02:00`` or ``+0200``);
- day first with dots, as much of Europe writes them: ``31.03.2024``, with the same optional time.

A slashed date with the year last (``03/04/2024``) is not read: it is 3 April in Britain and
4 March in the United States, and nothing in the file says which it means (`is_slashed_date`
tells such a value apart, so the wizard can say why).

The number (`parse_date`): days since 1970-01-01 00:00 UTC, the time of day as a fraction (noon
is .5). A time with an offset is converted to UTC first; one without is taken as written.
"""

import re
from datetime import date

_TIME = (r"(?:[T ](?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2})(?:\.(?P<fraction>\d{1,9}))?)?"
         r"(?P<zone>Z|[+-]\d{2}:?\d{2})?)?")
_YEAR_FIRST = re.compile(r"(?P<year>\d{4})(?P<sep>[-/])(?P<month>\d{1,2})(?P=sep)(?P<day>\d{1,2})" + _TIME)
_DAY_FIRST = re.compile(r"(?P<day>\d{1,2})\.(?P<month>\d{1,2})\.(?P<year>\d{4})" + _TIME)
_SLASHED = re.compile(r"\d{1,2}/\d{1,2}/\d{4}(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")
_EPOCH = date(1970, 1, 1).toordinal()
_DAY_S = 86_400


def parse_date(value):
    """Return a stripped cell as days since 1970-01-01 UTC, or None when it is not a date read here.

    Example:
        >>> parse_date("1970-01-02"), parse_date("02.01.1970 12:00"), parse_date("1970-01-01T23:00-01:00")
        (1.0, 1.5, 1.0)
        >>> parse_date("01/02/1970") is None  # 1 February or 2 January
        True
    """
    match = _YEAR_FIRST.fullmatch(value) or _DAY_FIRST.fullmatch(value)
    if match is None:
        return None
    try:
        days = date(int(match["year"]), int(match["month"]), int(match["day"])).toordinal() - _EPOCH
    except ValueError:  # 2024-02-30, month 13
        return None
    if match["hour"] is None:
        return float(days)
    seconds = _seconds(match)
    return None if seconds is None else days + seconds / _DAY_S


def is_slashed_date(value):
    """Whether a stripped cell is a date with the year last and slashes (``03/04/2024``), which
    `parse_date` leaves unread because its day and month could be either way round."""
    return _SLASHED.fullmatch(value) is not None


def _seconds(match):
    """Seconds since the day's midnight UTC, None for an impossible time (25:00, +24:00)."""
    hour, minute, second = int(match["hour"]), int(match["minute"]), int(match["second"] or 0)
    if hour > 23 or minute > 59 or second > 59:
        return None
    seconds = hour * 3600 + minute * 60 + second + (float("0." + match["fraction"]) if match["fraction"] else 0.0)
    zone = match["zone"]
    if zone and zone != "Z":
        offset_hour, offset_minute = int(zone[1:3]), int(zone[-2:])
        if offset_hour > 23 or offset_minute > 59:
            return None
        offset = offset_hour * 3600 + offset_minute * 60
        seconds -= offset if zone[0] == "+" else -offset
    return seconds
