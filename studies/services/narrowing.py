"""Continuing a study in a narrower search space: a child study that inherits the parent's trials.

The child has the parent's objective, directions, sampler, pruner and settings, the narrowed
space (checked inside the parent's by the engine's `narrowed_space`) and the budget asked for
(the parent's by default). The parent's finished trials that fit the narrowed space are copied
into it finished, marked `Trial.Origin.INHERITED` with the trial they copy: never re-run, read by
the sampler like any trial of the history, and counted apart from the budget (caps.n_own).
"""

from django.conf import settings
from django.db import transaction

from studies.engine import SearchSpaceError, fitting_trials, narrowed_space
from studies.models import Study, Trial

from . import imports, read
from .errors import InvalidInput
from .limits import check_user_limit
from .locks import locked_study
from .specs import validate_study_spec
from .studies import start_study

MAX_NAME = 200


def narrow_study(user, parent_id, search_space, budget=None):
    """Create and start a child of a study in a narrower search space, all or nothing.

    Args:
        user: Who narrows; they own the child. The caller checks they may read and run the parent.
        parent_id: The parent study.
        search_space: Name -> spec for the parameters to narrow; those left out stay as in the parent.
        budget: The child's budget (the budget keys of a study spec); keys left out are the parent's.

    Returns:
        The child study. A built-in one is started; an external one starts at its first ask.

    Raises:
        InvalidInput: Naming each fault (`search_space.x.high`, `budget.n_trials`); nothing is stored.
        TooMany: At the user's study cap. Busy: The task queue is unreachable (nothing stored).
    """
    parent = Study.objects.get(pk=parent_id)
    space = _space(parent, search_space)
    check_user_limit(Study.objects.filter(owner=user).count(), settings.TUNER_MAX_STUDIES_PER_USER, "studies",
                     "delete some first")
    # Checked as the parent's owner: the objective may name their dataset, which the child shares.
    clean = validate_study_spec(parent.owner, _spec(parent, space, budget))
    clean.pop("dataset")
    with transaction.atomic():
        child = Study.objects.create(owner=user, parent=parent, **clean)
        _inherit(child.pk, parent)
        if not child.is_external:
            start_study(child.pk)
    child.refresh_from_db()
    return child


def _space(parent, search_space):
    try:
        return narrowed_space(read.search_space_of(parent), search_space)
    except SearchSpaceError as exc:
        errors = {}
        for path, message in exc.errors:
            errors.setdefault(f"search_space.{path}" if path else "search_space", []).append(message)
        raise InvalidInput(errors) from None


def _spec(parent, space, budget):
    if budget is not None and not isinstance(budget, dict):
        raise InvalidInput.single("budget", 'budget must be an object such as {"n_trials": 50, "parallelism": 2}')
    carried = carried_spec(parent)
    return carried | {
        "name": f"{parent.name} (narrowed)"[:MAX_NAME],
        "search_space": space.to_json(),
        "budget": carried["budget"] | (budget or {}),
    }


def carried_spec(study):
    """The study spec of a study made from another (narrowed, or tuned again on new data): its
    name, objective, directions and their names, search space, sampler, pruner, budget and
    settings, for the caller to change what differs."""
    sampler = {key: value for key, value in study.sampler.items() if key not in ("chosen", "choice", "reason")}
    if sampler.get("name") == "auto":
        sampler.pop("n_trials", None)  # auto weighs the new study's own budget
    return {
        "name": study.name,
        "objective": {key: value for key, value in study.objective.items() if value is not None},
        "directions": study.directions,
        "objective_names": study.objective_names,
        "search_space": study.search_space,
        "sampler": sampler,
        "pruner": study.pruner,
        "budget": {key: value for key, value in read.budget_of(study).items() if value is not None},
        "grace_period_s": study.grace_period_s,
        "retry_failed": study.retry_failed,
    }


def _inherit(child_id, parent):
    """Copy the parent's finished trials that fit the child's space (none a person excluded)."""
    with locked_study(child_id) as child:
        kept = fitting_trials(read.search_space_of(child), child.directions, imports.outside_trials_of(parent))
        imports.store(child, kept, origin=Trial.Origin.INHERITED)
        child.n_inherited = len(kept)
        child.save(update_fields=["n_inherited"])
