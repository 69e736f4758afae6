"""`read.summary_facts`: what the summary says of a study, counted in the database, is what
`summary.facts_of` finds in the same trials read as rows (the summary of a 100,000-trial study
reads the former, a few aggregate queries, instead of every finished trial)."""

from datetime import timedelta

import pytest

from studies.models import Trial
from studies.services import read, summary
from studies.services.summary import (
    BEST_SHARE, FIRST_TRIALS, MIN_BEST_TRIALS, TYPICAL_TRIALS, facts_of, study_summary, summarise,
)
from tests.roles import add_trials, make_study

pytestmark = pytest.mark.django_db

SPACE = {"x": {"type": "float", "low": 0.0, "high": 1.0}, "k": {"type": "categorical", "choices": ["a", "b"]}}


def _mixed(owner, directions=("minimize",)):
    """Every kind of finished trial the facts tell apart: ties for the best, a trial that broke a
    limit, an infinite imported value, pruned trials shorter and longer than a complete one and
    one without times, a failed one, one a person excluded and a re-check."""
    rows = []
    for i in range(40):
        value = float((i * 7) % 11)  # 0.0 comes back every 11 trials: ties
        rows.append(("complete", value, {"x": i / 40, "k": "ab"[i % 2]}, 10.0 + i))
    rows += [("pruned", 5.0, {"x": 0.5, "k": "a"}, 3.0), ("pruned", 5.0, {"x": 0.6, "k": "b"}, 200.0),
             ("pruned", None, {"x": 0.7, "k": "a"}, 8.0), ("failed", None, {"x": 0.8, "k": "b"}, 5.0),
             ("complete", float("inf"), {"x": 0.9, "k": "a"}, 20.0), ("complete", -9.0, {"x": 0.1, "k": "a"}, 30.0),
             ("complete", -8.0, {"x": 0.2, "k": "b"}, 31.0), ("complete", -50.0, {"x": 0.3, "k": "b"}, 32.0)]
    study = make_study(owner, space=SPACE, directions=list(directions))
    trials = {trial.number: trial for trial in add_trials(study, rows)}
    if len(directions) > 1:
        for trial in trials.values():
            if trial.state == "complete" and trial.value is not None and trial.value != float("inf"):
                Trial.objects.filter(pk=trial.pk).update(value=None, values=[trial.value, 1.0])
    Trial.objects.filter(pk=trials[45].pk).update(feasible=False, constraints=[1.0])  # broke a limit
    Trial.objects.filter(pk=trials[42].pk).update(started_at=None, finished_at=None)  # pruned, no times
    Trial.objects.filter(pk=trials[46].pk).update(excluded_at=trials[46].finished_at + timedelta(seconds=1))
    Trial.objects.filter(pk=trials[47].pk).update(origin=Trial.Origin.RECHECK)
    return study


def _comparable(facts):
    def pairs(rows):
        return [(row.number, row.value) for row in rows]

    return {"counts": (facts.n_scored, facts.n_complete, facts.n_since_best, facts.n_pruned, facts.n_multi),
            "best": pairs([facts.best] if facts.best else []), "first": pairs(facts.first),
            "ranked": [(row.number, row.value, row.params) for row in facts.ranked],
            "typical_s": facts.typical_s, "saved_s": pytest.approx(facts.saved_s)}


@pytest.mark.parametrize("direction", ["minimize", "maximize"])
@pytest.mark.parametrize("n_typical", [TYPICAL_TRIALS, 5])
def test_the_database_counts_what_the_rows_say(owner, direction, n_typical, monkeypatch):
    # With 5, the typical duration is the median of the latest 5 complete trials, not of them all.
    monkeypatch.setattr(summary, "TYPICAL_TRIALS", n_typical)
    study = _mixed(owner, directions=(direction,))

    counted = read.summary_facts(study, direction, FIRST_TRIALS, BEST_SHARE, MIN_BEST_TRIALS, n_typical)

    assert _comparable(counted) == _comparable(facts_of(direction, read.finished_rows(study)))
    assert counted.n_scored == counted.n_complete + 1 and counted.n_pruned == 3 and counted.ranked


def test_counted_in_another_direction_than_the_studys_the_facts_are_still_the_rows(owner):
    # The study's own direction reads the counts `summarize` keeps per revision; another counts afresh.
    study = _mixed(owner, directions=("minimize",))

    counted = read.summary_facts(study, "maximize", FIRST_TRIALS, BEST_SHARE, MIN_BEST_TRIALS, TYPICAL_TRIALS)

    assert _comparable(counted) == _comparable(facts_of("maximize", read.finished_rows(study)))


def test_several_objectives_count_their_complete_trials_and_pruned_savings_in_the_database(owner):
    study = _mixed(owner, directions=("minimize", "maximize"))

    counted = read.summary_facts(study, None, FIRST_TRIALS, BEST_SHARE, MIN_BEST_TRIALS, TYPICAL_TRIALS)

    assert _comparable(counted) == _comparable(facts_of(None, read.finished_rows(study)))
    assert counted.n_multi == 41 and counted.best is None


def test_a_study_without_finished_trials_has_no_facts_to_count(owner):
    study = make_study(owner, space=SPACE)
    add_trials(study, [("running", None, {"x": 0.5, "k": "a"}), ("failed", None, {"x": 0.5, "k": "b"})])

    assert read.summary_facts(study, "minimize", FIRST_TRIALS, BEST_SHARE, MIN_BEST_TRIALS, TYPICAL_TRIALS) == \
        read.SummaryFacts()


@pytest.mark.parametrize("direction", ["minimize", "maximize"])
def test_the_study_summary_says_what_summarise_says_of_the_same_rows(owner, direction):
    study = _mixed(owner, directions=(direction,))

    said = study_summary(study)

    rows = read.finished_rows(study)
    from studies.services.importance import importance_of

    # Failed trials are said from their errors (`read.latest_errors`), which rows do not carry.
    assert [sentence for sentence in said if sentence.key != "failed"] == \
        summarise(direction, rows, SPACE, importance_of(study).scores)


def _ranked(study, names=None):
    return read.summary_facts(study, "minimize", FIRST_TRIALS, BEST_SHARE, MIN_BEST_TRIALS, TYPICAL_TRIALS,
                              names=names).ranked


def test_the_best_trials_carry_only_the_parameter_their_range_is_told_for(owner):
    study = _mixed(owner)

    ranked = _ranked(study, names=["k", "x"])

    assert [(row.number, row.value, row.params) for row in ranked] == \
        [(row.number, row.value, {"k": row.params["k"]}) for row in _ranked(study)]


def test_a_parameter_one_of_the_best_trials_lacks_gives_way_to_the_next(owner):
    # An auto study's "C of support vector machine": the best trial that is no SVM has no C, so the range is told for "k".
    study = _mixed(owner)
    Trial.objects.filter(study=study, number=_ranked(study)[0].number).update(params={"k": "a"})

    ranked = _ranked(study, names=["x", "k"])

    assert [row.params for row in ranked] == [{"k": row.params["k"]} for row in _ranked(study)]


@pytest.mark.parametrize("choice", ["1", "true", "null", 1, True, 2.5])
def test_a_choice_is_read_back_as_stored_whatever_it_looks_like(owner, choice):
    # Read alone from its JSON, the text "1" must not come back as the number 1 (SQLite's way).
    study = make_study(owner, space={"c": {"type": "categorical", "choices": [choice, "other"]}})
    add_trials(study, [("complete", float(i), {"c": choice}) for i in range(4)])

    ranked = _ranked(study, names=["c"])

    assert [row.params for row in ranked] == [{"c": choice}] * 3
    assert all(type(row.params["c"]) is type(choice) for row in ranked)
