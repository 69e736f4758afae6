"""Formatting for the pages: numbers, durations, params. Templates display; these format."""

import json

from django import template
from django.utils.html import format_html, json_script

from dashboard import header, states
from dashboard.wizard import METRIC_LABELS
from studies.engine import GOAL_WORDS
from studies.objectives.automl import family_words

register = template.Library()


@register.simple_tag
def states_json():
    """The state colours for the page scripts, as the JSON block #tuner-states."""
    return json_script(states.for_scripts(), "tuner-states")


@register.simple_tag
def badge(state, label=None, field=None):
    """A state badge coloured from `dashboard.states`; `field` lets a page script update it."""
    attribute = format_html(' data-field="{}"', field) if field else ""
    return format_html('<span class="badge badge-{}" style="--state: {}"{}>{}</span>', state, states.colour_of(state),
                       attribute, label or states.words_of(state))


@register.filter
def value(number):
    """A trial value with up to 6 significant digits, or a dash."""
    if not isinstance(number, (int, float)) or isinstance(number, bool):
        return "—"
    return f"{number:.6g}"


@register.filter
def duration(seconds):
    """Seconds as '0.4 s', '45 s', '12 min', '3 h 5 min' or '2 d 4 h'."""
    if not isinstance(seconds, (int, float)):
        return "—"
    if seconds < 10:
        return f"{seconds:.1f} s"
    seconds = round(seconds)
    if seconds < 90:
        return f"{seconds} s"
    minutes = seconds // 60
    if minutes < 90:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 48:
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    days, hours = divmod(hours, 24)
    return f"{days} d {hours} h" if hours else f"{days} d"


@register.filter
def param(item):
    """A parameter value as the user typed it: numbers compact, text as is."""
    if isinstance(item, bool):
        return str(item).lower()
    if isinstance(item, float):
        return f"{item:.6g}"
    return str(item)


@register.filter
def named_params(params, study):
    """A trial of `study`'s params as (name, value, API name) rows for people (`header.named_params`)."""
    return header.named_params(params, study)


@register.filter
def attr_text(item):
    """An attr's value as text: a string as is, anything else (a list, an object) as JSON."""
    return item if isinstance(item, str) else json.dumps(item)


@register.filter
def percent(number):
    return "0%" if number is None else f"{number:.1f}%"


@register.filter
def pretty_json(data):
    return json.dumps(data, indent=2, sort_keys=False)


@register.filter
def ago(moment):
    """An ISO time or datetime as '12 s ago', '5 min ago', '3 h ago'."""
    from datetime import datetime

    from django.utils import timezone

    if not moment:
        return "—"
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    seconds = (timezone.now() - moment).total_seconds()
    return "just now" if seconds < 10 else f"{duration(seconds)} ago"


@register.filter
def goal(direction):
    """A direction as people say it: "highest is best" for maximize, "lowest is best" for minimize."""
    return GOAL_WORDS.get(direction, direction)


@register.filter
def objective_label(objective, dataset_name=None):
    """A study's objective in words: 'random forest on breast_cancer (accuracy)', 'the best of every
    kind of model on churn.csv → churn (balanced_accuracy)'; an uploaded dataset by its name."""
    kind = objective.get("kind")
    if kind == "sklearn":
        target = f" → {objective['target']}" if objective.get("target") else ""
        dataset = str(objective.get("dataset", ""))
        if dataset.startswith("csv:"):
            dataset = dataset_name or "an uploaded CSV, since deleted"
        metric = METRIC_LABELS.get(objective.get("metric"), objective.get("metric"))
        return f"{_estimator_words(objective.get('estimator'))} on {dataset}{target} ({metric})"
    if kind == "function":
        return f"benchmark function {objective.get('name')}"
    return "your own training code"


def _estimator_words(estimator):
    if estimator == "auto":
        return "the best of every kind of model"
    if isinstance(estimator, list):
        names = [family_words(name) for name in estimator]
        return f"the best of {', '.join(names[:-1])} and {names[-1]}" if len(names) > 1 else f"the best of {names[0]}"
    return family_words(estimator)
