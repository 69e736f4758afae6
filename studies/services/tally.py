"""A study's running tally: the figures `read.summarize` gives a study (counts per state, the best
values, the summary's counts) and the parts of the summary's facts, kept per study and brought up
to date by folding in the trials changed since, instead of counting every trial again: on a
100,000-trial study every change (a trial that completes) cost a scan of the trials, 80-100 ms,
and the summary's reads of the best tenth and the pruned trials, 50 ms more.

Pure: `read` reads the rows and keeps the tally in the cache. A changed trial's old contribution
is known only when it was counted waiting or running (then it counted in its state alone) or
was not there yet (a number above every number counted); any other change (an exclusion, a
finished trial changed, a value that is not finite) raises `Recount`, and `read` counts afresh.
"""

import base64
import bisect
import json
import math
import statistics
import zlib
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import numpy as np

# Part of the cache key: a tally kept by another version of this module is not read.
VERSION = 1
OPEN_STATES = ("waiting", "running")
COMPLETE, PRUNED, RECHECK = "complete", "pruned", "recheck"
# More of the best trials than the summary's share are kept, so that the share can grow with the
# complete trials for a while before the best are read again.
RANKED_MARGIN = 256
MAX_NAMES = 62  # which names a ranked trial has is kept as the bits of one integer


class Recount(Exception):
    """The change cannot be folded in: count the study's trials afresh."""


class Changed:
    """A trial as read for the fold: its latest version."""

    __slots__ = ("number", "revision", "state", "value", "values", "excluded", "counted", "feasible", "duration_us",
                 "chosen", "mask")

    def __init__(self, number, revision, state, value, values, excluded, counted, feasible, duration_us,
                 chosen=None, mask=0):
        self.number, self.revision, self.state, self.value, self.values = number, revision, state, value, values
        self.excluded, self.counted, self.feasible, self.duration_us = excluded, counted, feasible, duration_us
        self.chosen, self.mask = chosen, mask

    @property
    def eligible(self):
        """Complete, counted, finite and within every limit: a trial that may be the best."""
        return (self.state == COMPLETE and self.counted and self.value is not None and math.isfinite(self.value)
                and self.feasible is not False)


@dataclass
class Parts:
    """What the summary's facts read beyond the counts, for one set of arguments."""

    n_first: int
    n_typical: int
    names: tuple
    first: list  # (number, value) of the first `n_first` eligible trials by number
    latest: list  # (number, duration in µs) of the latest `n_typical` timed complete trials that count
    pruned_us: np.ndarray  # the timed pruned trials' durations in µs, sorted
    n_untimed: int  # pruned trials without times
    ranked: list  # (number, value, chosen, names mask) of the best eligible trials, best first
    capacity: int  # the most `ranked` keeps
    whole: bool  # `ranked` holds every eligible trial
    name: str | None  # the name `chosen` is the value of
    big: int = 0  # where `read` keeps `ranked` and `pruned_us` (the revision they were last changed at)


@dataclass
class Tally:
    revision: int  # the latest trial revision counted
    study_revision: int  # the study's revision it was brought up to
    max_number: int  # the highest trial number counted (-1: none)
    open: dict  # number -> state of the waiting and running trials counted (none excluded)
    figures: dict  # what `read.summarize` sets on the study
    direction: str | None
    best: tuple | None  # (value, number) of the best eligible trial
    max_eligible: int  # no eligible trial has a higher number (-1: none)
    parts: Parts | None = field(default=None)


def sort_key(direction):
    """The order of the best trials: best value first, the lowest number among equals."""
    sign = -1.0 if direction == "maximize" else 1.0
    return lambda row: (sign * row[1], row[0])


def fold(tally, rows):
    """Fold `rows` (`Changed`, in revision order) into `tally` (changed in place).

    Raises:
        Recount: A row's old contribution is unknown, or its value is not finite.
    """
    figures, parts = tally.figures, tally.parts
    eligible = []
    for row in rows:
        old = tally.open.pop(row.number, None)
        if old is None and row.number <= tally.max_number or row.excluded:
            raise Recount
        if row.value is not None and not math.isfinite(row.value):
            raise Recount
        if old is not None:
            figures[f"n_{old}"] -= 1
        figures[f"n_{row.state}"] += 1
        tally.max_number = max(tally.max_number, row.number)
        tally.revision = max(tally.revision, row.revision)
        if row.state in OPEN_STATES:
            tally.open[row.number] = row.state
            continue
        if row.state == COMPLETE:
            figures["n_complete_counted"] += 1
        if not row.counted or row.state not in (COMPLETE, PRUNED):
            continue
        if row.state == PRUNED:
            figures["facts_n_pruned"] += 1
            if parts is not None:
                _add_pruned(parts, row.duration_us)
            continue
        _fold_complete(tally, row)
        if row.eligible:
            eligible.append(row)
    if eligible:
        _fold_best(tally, eligible)
        if parts is not None:
            _fold_ranked(tally, parts, eligible)


def _fold_complete(tally, row):
    figures = tally.figures
    if row.value is not None:
        figures["facts_n_scored"] += 1
        if row.feasible is not False:
            low, high = figures["value_min"], figures["value_max"]
            figures["value_min"] = row.value if low is None else min(low, row.value)
            figures["value_max"] = row.value if high is None else max(high, row.value)
    if row.eligible:
        figures["facts_n_complete"] += 1
    if row.values is not None and row.values != []:
        figures["facts_n_multi"] += 1
    parts = tally.parts
    if parts is not None and row.duration_us is not None:
        bisect.insort(parts.latest, (row.number, row.duration_us))
        del parts.latest[: max(0, len(parts.latest) - parts.n_typical)]


def _add_pruned(parts, duration_us):
    if duration_us is None:
        parts.n_untimed += 1
    else:
        at = int(np.searchsorted(parts.pruned_us, duration_us))
        parts.pruned_us = np.insert(parts.pruned_us, at, duration_us)


def _fold_best(tally, eligible):
    """The best trial and how many eligible trials came after it, with `eligible` added."""
    if tally.direction is None:
        tally.max_eligible = max(tally.max_eligible, *(row.number for row in eligible))
        return
    if tally.best is None and tally.figures["facts_n_complete"] > len(eligible):
        raise Recount  # the best was not read with the counts (it changed between the two)
    key = sort_key(tally.direction)
    new = min(((row.number, row.value) for row in eligible), key=key)
    old = (tally.best[1], tally.best[0]) if tally.best is not None else None
    figures = tally.figures
    if old is not None and key(old) <= key(new):
        figures["facts_n_since_best"] += sum(1 for row in eligible if row.number > old[0])
    elif new[0] > tally.max_eligible:
        tally.best = (new[1], new[0])
        figures["facts_n_since_best"] = sum(1 for row in eligible if row.number > new[0])
    else:  # a new best among earlier trials: those after it are not all at hand
        raise Recount
    tally.max_eligible = max(tally.max_eligible, *(row.number for row in eligible))
    parts = tally.parts
    if parts is not None:
        parts.first = sorted(parts.first + [(row.number, row.value) for row in eligible])[: parts.n_first]


def _fold_ranked(tally, parts, eligible):
    key = sort_key(tally.direction)
    new = [(row.number, row.value, row.chosen, row.mask) for row in eligible]
    if not parts.whole:  # those behind the last kept are not kept either
        new = [row for row in new if key(row) < key(parts.ranked[-1])]
    if not new:
        return  # the same list: `read` need not keep it again
    merged = sorted(parts.ranked + new, key=key)
    if len(merged) > parts.capacity:
        merged, parts.whole = merged[: parts.capacity], False
    parts.ranked = merged


def n_best(n_complete, share, minimum):
    """How many of the best trials the summary's range is told for (0 below `minimum`)."""
    return max(minimum, math.ceil(share * n_complete)) if n_complete >= minimum else 0


def chosen_name(ranked, n, names):
    """The first of `names` that each of the first `n` ranked trials has (None when none or n is 0)."""
    if not n:
        return None
    top = ranked[:n]
    return next((name for i, name in enumerate(names) if all(row[3] >> i & 1 for row in top)), None)


def ranked_ready(parts, n):
    """Whether `parts.ranked` answers for the best `n` and holds their chosen values."""
    if not parts.whole and len(parts.ranked) < max(n, 1):
        return False  # the share grew past what was kept
    return chosen_name(parts.ranked, n, parts.names) == parts.name


def durations(parts, n_pruned):
    """(the typical duration in s or None, the seconds the pruned trials saved), as
    `read._pruned_savings` counts them in the database."""
    if not parts.latest:
        return None, 0.0
    typical = timedelta(seconds=statistics.median(us / 1e6 for _, us in parts.latest))
    if not n_pruned:
        return typical.total_seconds(), 0.0
    typical_us = typical // timedelta(microseconds=1)
    n_short = int(np.searchsorted(parts.pruned_us, typical_us, side="left"))
    total = int(parts.pruned_us[:n_short].sum())
    saved = timedelta(microseconds=(parts.n_untimed + n_short) * typical_us - total)
    return typical.total_seconds(), max(0.0, saved.total_seconds())


def dumps(tally):
    """`tally` as bytes for a copy kept in the database (`loads` reads it back): zlib'd JSON,
    which PostgreSQL hands back as stored, where a jsonb column of the same 0.6 MB cost a
    conversion to text on every read (17 against 1 ms)."""
    return zlib.compress(json.dumps(_to_json(tally), separators=(",", ":")).encode(), 1)


def loads(data):
    """The `Tally` that `dumps` gave `data`, or None (none, or kept by another version of this module)."""
    return _from_json(json.loads(zlib.decompress(data))) if data else None


def _to_json(tally):
    """`tally` as JSON-ready data: lists rather than tuples, the exclusions' latest time as ISO
    text, and the pruned trials' durations and the best trials' numbers, values and masks as
    arrays' bytes (base64): decoding 26,000 numbers from JSON text cost a page opened with the
    cache cold more than reading the row."""
    figures = dict(tally.figures)
    latest = figures.get("excluded_latest")
    figures["excluded_latest"] = latest.isoformat() if latest is not None else None
    parts = tally.parts
    return {"version": VERSION, "revision": tally.revision, "study_revision": tally.study_revision,
            "max_number": tally.max_number, "open": [[number, state] for number, state in tally.open.items()],
            "figures": figures, "direction": tally.direction, "best": tally.best, "max_eligible": tally.max_eligible,
            "parts": None if parts is None else {
                "n_first": parts.n_first, "n_typical": parts.n_typical, "names": parts.names, "first": parts.first,
                "latest": parts.latest, "pruned_us": _packed(parts.pruned_us, np.int64), "n_untimed": parts.n_untimed,
                "ranked": _ranked_json(parts.ranked), "capacity": parts.capacity, "whole": parts.whole, "name": parts.name}}


def _from_json(data):
    if data.get("version") != VERSION:
        return None
    figures = dict(data["figures"])
    if figures.get("excluded_latest") is not None:
        figures["excluded_latest"] = datetime.fromisoformat(figures["excluded_latest"])
    parts = data["parts"]
    if parts is not None:
        # Tuples again: the fold compares and merges them with tuples of its own.
        parts = Parts(n_first=parts["n_first"], n_typical=parts["n_typical"], names=tuple(parts["names"]),
                      first=[tuple(row) for row in parts["first"]], latest=[tuple(row) for row in parts["latest"]],
                      pruned_us=_unpacked(parts["pruned_us"], np.int64), n_untimed=parts["n_untimed"],
                      ranked=_ranked_of(parts["ranked"]), capacity=parts["capacity"],
                      whole=parts["whole"], name=parts["name"])
    best = tuple(data["best"]) if data["best"] is not None else None
    return Tally(revision=data["revision"], study_revision=data["study_revision"], max_number=data["max_number"],
                 open={number: state for number, state in data["open"]}, figures=figures, direction=data["direction"],
                 best=best, max_eligible=data["max_eligible"], parts=parts)


def _packed(values, dtype):
    return base64.b64encode(np.asarray(values, dtype=dtype).tobytes()).decode("ascii")


def _unpacked(text, dtype):
    return np.frombuffer(base64.b64decode(text), dtype=dtype).copy()


def _ranked_json(ranked):
    numbers, values, chosen, masks = zip(*ranked) if ranked else ((), (), (), ())
    return {"numbers": _packed(numbers, np.int64), "values": _packed(values, np.float64), "chosen": list(chosen),
            "masks": _packed(masks, np.int64)}


def _ranked_of(data):
    numbers, values = _unpacked(data["numbers"], np.int64).tolist(), _unpacked(data["values"], np.float64).tolist()
    return list(zip(numbers, values, data["chosen"], _unpacked(data["masks"], np.int64).tolist()))
