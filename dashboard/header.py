"""The figures a study's header and its row in the list show, as plain JSON-ready data."""

import logging

from studies import engine
from studies.models import Study
from studies.objectives import FAMILY_LABELS, ObjectiveError
from studies.objectives.automl import FAMILY_PARAM, prefixed, split_params
from studies.services import read
from studies.services.stopping import stop_sentence

from .names import chooses_model
from .progress import progress

log = logging.getLogger(__name__)


def named_params(params, study):
    """A trial of `study`'s params as [name, value, API name] rows for people. Where Tuner chose the
    kind of model, it comes first by its name ("kind of model": "Gradient boosting") and its own
    params follow without the kind's prefix ("learning_rate", not
    "hist_gradient_boosting__learning_rate"); the API name (``estimator``,
    ``hist_gradient_boosting__learning_rate``) stays on each row for the page's tooltip, so an
    engineer still finds the name the API and the exports use. Other studies' names are their own."""
    as_written = [[name, value, name] for name, value in (params or {}).items()]
    if not chooses_model(study):
        return as_written
    try:
        family, own = split_params(params or {}, tuple(FAMILY_LABELS))
    except ObjectiveError:  # no kind of model among the params: shown as they are
        return as_written
    return [["kind of model", FAMILY_LABELS[family], FAMILY_PARAM],
            *([name, value, prefixed(family, name)] for name, value in own.items())]


def best_figures(best, study):
    """The best trial of `study` as the header shows it (its number, value and `named_params`), or None."""
    if best is None:
        return None
    return {"number": best.number, "params": named_params(best.params, study), "value": best.value}


def best_value(study):
    """The best complete value of a study annotated by `read.with_summary` or given it by `read.summarize`."""
    if len(study.directions) != 1:
        return None
    return study.value_max if study.directions[0] == "maximize" else study.value_min


def sampler_choice(study):
    """The sampler's name, and for a sampler that picks another (`auto`) its pick and why.

    Returns (name, chosen or None, reason or None). The pick is the engine's own
    `choose`, a pure function of the space, the directions and the budget.
    """
    name = study.sampler.get("name", "random")
    choose = getattr(engine.SAMPLERS.get(name), "choose", None)
    if choose is None:
        return name, None, None
    try:
        space = engine.SearchSpace.from_json(study.search_space)
        chosen, reason = choose(space, study.directions, study.sampler.get("n_trials", study.n_trials))
    except (ValueError, TypeError) as exc:
        log.warning("cannot tell which sampler %s picks for study %s: %s", name, study.pk, exc)
        return name, None, None
    return name, chosen, reason


def sampler_label(study):
    """The sampler as pages name it ("TPE"), and where Tuner picked it, "TPE, chosen by Tuner"."""
    name, chosen, _ = sampler_choice(study)
    return f"{_title(engine.SAMPLERS, chosen)}, chosen by Tuner" if chosen else _title(engine.SAMPLERS, name)


def sampler_explained(study):
    """Why this sampler, in words: the reason for `auto`'s pick, or what the chosen sampler does."""
    name, _, reason = sampler_choice(study)
    return reason or getattr(engine.SAMPLERS.get(name), "describe", "")


def search_settings(study):
    """The rest of how a study searches, in words: its pruner, seed and trials at a time (the page
    adds its time limit, in the words of its `duration` filter)."""
    pruner = (study.pruner or {}).get("name")
    parts = [f"{_title(engine.PRUNERS, pruner)}: stops poor trials early" if pruner else "every trial runs to the end",
             f"random seed {study.seed}"]
    if not study.is_external:  # your own code runs as many at once as copies of it run
        parts.append(f"{study.parallelism} trial{'s' if study.parallelism != 1 else ''} at a time")
    return " · ".join(parts)


def _title(registry, name):
    return getattr(registry.get(name), "title", name)


def display_name(user):
    return user.get_full_name() or user.get_username()


def header(study, now=None):
    """Everything the study header and list row show, for the template and the live poll.

    `study` is annotated by `read.with_summary` (or given them by `read.summarize`); the owner is named as on every page a share
    link shows (full name, else username).
    """
    counts = read.state_counts(study)
    return {
        "id": study.pk,
        "name": study.name,
        "state": study.state,
        "finished": study.state in Study.FINISHED_STATES,
        "counts": counts,
        "n_trials": study.n_trials,
        "progress": progress(study, counts, now),
        "best_value": best_value(study),
        # What the best value measures ("accuracy"), beside it in the studies list; "" when unnamed.
        "value_name": study.objective_names[0] if len(study.directions) == 1 and study.objective_names else "",
        "sampler": sampler_label(study),
        "owner": display_name(study.owner),
        "updated_at": study.updated_at.isoformat(),
    }


def page_header(study):
    """The header of the study page and its report: `header`, plus the uploaded dataset's name.

    The name costs a query, so the studies list (one header per row) goes without it, and
    without the sentence saying which stop rule ended the study (a count, for a target).
    """
    return {**header(study), "dataset": read.dataset_name(study.objective), "stopped_because": stop_sentence(study)}
