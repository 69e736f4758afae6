"""Narrowing a study: a child study in a narrower space that inherits the parent's trials inside it."""

import pytest

from studies import services
from studies.models import Study, Trial
from studies.services import caps, read
from studies.services.narrowing import narrow_study

pytestmark = pytest.mark.django_db

SPACE = {"x": {"type": "float", "low": 0.0, "high": 1.0}, "kind": {"type": "categorical", "choices": ["a", "b"]}}
NARROW = {"x": {"type": "float", "low": 0.0, "high": 0.5}}


def _parent(owner, points, **budget):
    """A finished external study with one complete trial per (x, kind, value)."""
    spec = {"name": "wide", "objective": {"kind": "external"}, "direction": "minimize", "search_space": SPACE,
            "sampler": {"name": "tpe", "seed": 0}, "budget": {"n_trials": len(points), **budget}}
    study = services.create_study(owner, spec)
    for x, kind, value in points:
        services.enqueue_trial(study.pk, {"x": x, "kind": kind})
        trial = services.ask_trial(study.pk)
        services.tell_trial(trial.pk, value=value)
    return study


def test_the_child_keeps_the_objective_and_settings_with_the_narrowed_space(owner):
    parent = _parent(owner, [(0.2, "a", 1.0)])

    child = narrow_study(owner, parent.pk, NARROW)

    assert child.parent_id == parent.pk and child.owner == owner
    assert child.search_space == {"x": {"type": "float", "low": 0.0, "high": 0.5}, "kind": SPACE["kind"]}
    assert (child.objective, child.directions, child.sampler, child.n_trials) == (
        parent.objective, parent.directions, parent.sampler, parent.n_trials)
    assert list(parent.children.all()) == [child]


def test_the_child_keeps_the_name_of_the_parents_value(owner):
    parent = _parent(owner, [(0.2, "a", 1.0)])
    Study.objects.filter(pk=parent.pk).update(objective_names=["validation loss"])
    parent.refresh_from_db()

    child = narrow_study(owner, parent.pk, NARROW)

    assert child.objective_names == ["validation loss"]


def test_the_parents_trials_inside_the_narrowed_space_are_inherited_finished(owner):
    parent = _parent(owner, [(0.2, "a", 1.0), (0.9, "a", 2.0), (0.4, "b", 3.0)])
    sources = dict(Trial.objects.filter(study=parent).values_list("value", "pk"))

    child = narrow_study(owner, parent.pk, NARROW)

    inherited = list(Trial.objects.filter(study=child).values_list("number", "state", "value", "origin", "inherited_from"))
    assert inherited == [(0, "complete", 1.0, "inherited", sources[1.0]), (1, "complete", 3.0, "inherited", sources[3.0])]
    assert child.n_inherited == 2


def test_an_excluded_parent_trial_is_not_inherited(owner):
    parent = _parent(owner, [(0.2, "a", 1.0), (0.3, "a", 2.0)])
    services.exclude_trial(Trial.objects.get(study=parent, value=2.0).pk, "leaky", owner)

    child = narrow_study(owner, parent.pk, NARROW)

    assert list(Trial.objects.filter(study=child).values_list("value", flat=True)) == [1.0]


def test_a_parent_re_check_trial_is_not_inherited(owner):
    parent = _parent(owner, [(0.2, "a", 1.0), (0.3, "a", 2.0)])
    original = Trial.objects.get(study=parent, value=2.0)
    Trial.objects.create(study=parent, number=2, state=Trial.State.COMPLETE, params=original.params, value=2.5,
                         origin=Trial.Origin.RECHECK, rechecks=original)

    child = narrow_study(owner, parent.pk, NARROW)

    assert sorted(Trial.objects.filter(study=child).values_list("value", flat=True)) == [1.0, 2.0]


def test_the_budget_counts_only_the_childs_own_trials(owner):
    parent = _parent(owner, [(0.1, "a", 1.0), (0.2, "a", 2.0), (0.3, "b", 3.0)])

    child = narrow_study(owner, parent.pk, NARROW, budget={"n_trials": 2})

    assert caps.budget_left(child) == 2
    for _ in range(2):
        services.tell_trial(services.ask_trial(child.pk).pk, value=0.5)
    child.refresh_from_db()
    assert child.state == Study.State.COMPLETED
    assert Trial.objects.filter(study=child).exclude(origin=Trial.Origin.INHERITED).count() == 2


def test_the_sampler_reads_the_inherited_trials_as_history(owner):
    parent = _parent(owner, [(0.1, "a", 1.0), (0.4, "b", 2.0)])

    child = narrow_study(owner, parent.pk, NARROW)

    assert [record.value for record in read.trial_records(child)] == [1.0, 2.0]


def test_the_stop_rules_judge_only_the_childs_own_trials(owner):
    parent = _parent(owner, [(0.1, "a", 1.0), (0.2, "a", 2.0), (0.3, "a", 3.0)], patience=2)

    child = narrow_study(owner, parent.pk, NARROW, budget={"n_trials": 5})
    services.tell_trial(services.ask_trial(child.pk).pk, value=5.0)

    child.refresh_from_db()
    assert child.state == Study.State.RUNNING


def test_a_space_outside_the_parents_is_named_and_nothing_is_created(owner):
    parent = _parent(owner, [(0.2, "a", 1.0)])

    with pytest.raises(services.InvalidInput) as caught:
        narrow_study(owner, parent.pk, {"x": {"type": "float", "low": 0.0, "high": 2.0}})

    assert set(caught.value.errors) == {"search_space.x.high"}
    assert Study.objects.count() == 1


def test_a_bad_budget_is_named_and_nothing_is_created(owner):
    parent = _parent(owner, [(0.2, "a", 1.0)])

    with pytest.raises(services.InvalidInput) as caught:
        narrow_study(owner, parent.pk, NARROW, budget={"n_trials": 0})

    assert set(caught.value.errors) == {"budget.n_trials"}
    assert Study.objects.count() == 1


def test_a_built_in_child_starts_running(owner):
    spec = {"name": "sphere", "objective": {"kind": "function", "name": "sphere"},
            "search_space": {"x": {"type": "float", "low": -5, "high": 5}}, "budget": {"n_trials": 4}}
    parent = services.create_study(owner, spec)

    child = narrow_study(owner, parent.pk, {"x": {"type": "float", "low": -1, "high": 1}})

    assert child.state == Study.State.RUNNING
    assert Trial.objects.filter(study=child, state=Trial.State.WAITING).count() == 1


def test_deleting_the_parent_keeps_the_child_and_its_inherited_trials(owner):
    parent = _parent(owner, [(0.2, "a", 1.0)])
    child = narrow_study(owner, parent.pk, NARROW)

    services.delete_study(parent.pk)

    child.refresh_from_db()
    assert child.parent_id is None
    assert list(Trial.objects.filter(study=child).values_list("value", "inherited_from")) == [(1.0, None)]
