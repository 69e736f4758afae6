"""A trial's attrs and metrics: what the user's code records beside the value, checked and merged.

`attrs` is a small JSON object (tags, the git commit, anything); `metrics` maps names to
numbers recorded but not optimised (training time, model size, recall). Both arrive with a
report or a tell and are merged into what the trial holds, later keys winning. Each is capped
so that one trial cannot bloat every page and export that reads it; a fault answers 400
naming the field (`attrs`, `metrics.<name>`), and nothing is stored.
"""

import json
import re

from studies.models import Study

from .errors import InvalidInput
from .specs import is_finite_number

MAX_ATTRS_BYTES = 16 * 1024
MAX_KEYS = 100
MAX_KEY_CHARS = 100
# Column names the study keeps for its table and metric chart; past these, the values are
# still stored on the trial and exported, but get no column.
MAX_NAMES = 100
_UNQUERYABLE = re.compile(r'["\\\x00-\x1f\x7f]')


def checked(attrs, metrics):
    """Check attrs and metrics as given in one request; return them (empty dicts for None).

    Raises:
        InvalidInput: naming `attrs`, `attrs.<key>`, `metrics` or `metrics.<name>` and the fault.
    """
    return _checked_attrs(attrs), _checked_metrics(metrics)


def merge(study, trial, attrs, metrics):
    """Merge checked attrs and metrics into the trial (later keys win) and note new names on the study.

    Inside `locked_study`. Returns the trial fields that changed, for `save(update_fields=...)`.

    Raises:
        InvalidInput: when the merged attrs or metrics pass a cap.
    """
    changed = []
    if attrs:
        trial.attrs = {**(trial.attrs or {}), **attrs}
        _check_size(trial.attrs)
        changed.append("attrs")
    if metrics:
        trial.metrics = {**(trial.metrics or {}), **metrics}
        if len(trial.metrics) > MAX_KEYS:
            raise InvalidInput.single("metrics", f"a trial holds at most {MAX_KEYS} metrics; this would make "
                                                 f"{len(trial.metrics)}")
        changed.append("metrics")
    note_names(study, attrs, metrics)
    return changed


def _checked_attrs(attrs):
    if attrs is None:
        return {}
    if not isinstance(attrs, dict):
        raise InvalidInput.single("attrs", "attrs must be an object of key to any JSON value")
    for key in attrs:
        _check_name("attrs", key)
    _check_size(attrs)
    return attrs


def _check_size(attrs):
    if len(attrs) > MAX_KEYS:
        raise InvalidInput.single("attrs", f"attrs may hold at most {MAX_KEYS} keys, got {len(attrs)}")
    size = len(json.dumps(attrs, ensure_ascii=False).encode("utf-8"))
    if size > MAX_ATTRS_BYTES:
        raise InvalidInput.single("attrs", f"attrs may take at most {MAX_ATTRS_BYTES // 1024} KB as JSON, "
                                           f"got {size:,} bytes")


def _checked_metrics(metrics):
    if metrics is None:
        return {}
    if not isinstance(metrics, dict):
        raise InvalidInput.single("metrics", "metrics must be an object of name to number")
    if len(metrics) > MAX_KEYS:
        raise InvalidInput.single("metrics", f"a trial holds at most {MAX_KEYS} metrics, got {len(metrics)}")
    for name, value in metrics.items():
        _check_name("metrics", name)
        if not is_finite_number(value):
            raise InvalidInput.single(f"metrics.{name}", f"a metric must be a finite number, got {value!r}")
    return {name: float(value) for name, value in metrics.items()}


def _check_name(field, name):
    if not name.strip():
        raise InvalidInput.single(field, f"a name in {field} must not be blank")
    if _UNQUERYABLE.search(name):
        # SQLite's JSON paths, which sort and filter the trial table, cannot hold these.
        raise InvalidInput.single(field, f'a name in {field} may not hold a double quote, a backslash or a control '
                                         f"character: {name[:40]!r}")
    if len(name) > MAX_KEY_CHARS:
        raise InvalidInput.single(field, f"a name in {field} may be at most {MAX_KEY_CHARS} characters, "
                                         f"got {len(name)}: {name[:20]!r}…")


def note_names(study, attrs, metrics):
    """Add the attr keys and metric names the study has not seen to its lists (inside `locked_study`)."""
    noted = {}
    for field, given in (("attr_names", attrs), ("metric_names", metrics)):
        known = getattr(study, field) or []
        new = [name for name in given or () if name not in known][: max(MAX_NAMES - len(known), 0)]
        if new:
            noted[field] = [*known, *new]
            setattr(study, field, noted[field])
    if noted:
        Study.objects.filter(pk=study.pk).update(**noted)
