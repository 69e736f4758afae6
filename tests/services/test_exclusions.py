"""An excluded trial stays listed but counts nowhere: not for the sampler or the pruner, the best
value, importance, the summary or the leaderboard; including it again counts it once more."""

import pytest

from studies.engine import SAMPLERS, TrialRecord, importance as engine_importance, make_sampler, rng_for
from studies.models import Ensemble, Study, Trial, TrialReport
from studies.services import exclusions, importance, read, scheduling
from studies.services.summary import study_summary
from studies.services.trials import report_trial
from tests.roles import add_trials, make_study, people  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db

SPACE = {"x": {"type": "float", "low": 0.0, "high": 1.0}, "y": {"type": "float", "low": 0.0, "high": 1.0}}


def _rows(n=12):
    """Minimised, best at x = 0.5; trial 3 is far better than the rest (an outlier to exclude)."""
    rows = [("complete", (i / n - 0.5) ** 2 + 0.1 * (i % 3) / n, {"x": i / n, "y": (i * 7 % n) / n}) for i in range(n)]
    rows[3] = ("complete", -100.0, {"x": 0.25, "y": 0.9})
    return rows


def _study(people, **fields):
    study = make_study(people["owner"], space=SPACE, **fields)
    add_trials(study, _rows())
    return study


def _exclude(study, number, user, reason="ran on a broken machine"):
    exclusions.exclude_trial(Trial.objects.get(study=study, number=number).pk, reason, user)
    return Study.objects.get(pk=study.pk)


def _include(study, number):
    exclusions.include_trial(Trial.objects.get(study=study, number=number).pk)
    return Study.objects.get(pk=study.pk)


def test_the_best_trial_leaves_out_an_excluded_trial(people):
    study = _study(people)

    study = _exclude(study, 3, people["owner"])

    assert read.best_trial(study).number == 6


def test_the_best_trial_counts_it_again_once_included(people):
    study = _exclude(_study(people), 3, people["owner"])

    study = _include(study, 3)

    assert read.best_trial(study).number == 3


def test_the_study_lists_best_value_leaves_out_an_excluded_trial(people):
    study = _exclude(_study(people), 3, people["owner"])

    listed = read.with_summary(Study.objects.filter(pk=study.pk)).get()

    assert listed.value_min == pytest.approx(read.best_trial(study).value)


def test_the_history_the_engine_reads_lacks_an_excluded_trial(people):
    study = _exclude(_study(people), 3, people["owner"])

    numbers = [record.number for record in read.trial_records(study)]

    assert numbers == [n for n in range(12) if n != 3]


@pytest.mark.parametrize("name", sorted(SAMPLERS))
def test_every_sampler_asks_from_the_history_without_the_excluded_trial(people, name):
    study = _exclude(_study(people, sampler={"name": name}), 3, people["owner"])
    history = [TrialRecord(number=n, params=params, state=state, value=value)
               for n, (state, value, params) in enumerate(_rows()) if n != 3]
    sampler = make_sampler(study.sampler, seed=study.seed)

    asked = scheduling.sample_params(study)

    assert asked == sampler.sample(read.search_space_of(study), history, rng_for(study.seed, 12), ("minimize",))


def test_the_pruner_does_not_compare_with_excluded_trials(people):
    # Three trials with too-good curves (a leak) would prune an ordinary one; excluded, they do not.
    study = make_study(people["owner"], space=SPACE, pruner={"name": "median", "n_startup_trials": 2},
                       state="running")
    trials = add_trials(study, [("complete", v, {"x": 0.5, "y": 0.5}) for v in (1.0, 2.0, 3.0, 0.01, 0.02, 0.03)]
                        + [("running", None, {"x": 0.5, "y": 0.5})])
    TrialReport.objects.bulk_create(TrialReport(trial=t, step=0, value=t.value) for t in trials[:6])
    assert report_trial(trials[6].pk, 0, 2.0) is True
    for number in (3, 4, 5):
        _exclude(study, number, people["owner"], reason="the date column leaked the answer")

    assert report_trial(trials[6].pk, 0, 2.0) is False


def test_importance_is_computed_without_the_excluded_trial(people):
    study = _study(people)
    importance.importance_of(study)  # cached with trial 3 in

    study = _exclude(study, 3, people["owner"])

    records = tuple(row.record() for row in read.complete_rows(study))
    assert 3 not in {record.number for record in records}
    assert importance.importance_of(study).scores == dict(engine_importance(read.search_space_of(study), records,
                                                                            "minimize"))


def test_the_summary_names_the_best_trial_that_counts(people):
    study = _study(people)
    before = {sentence.key: sentence.text for sentence in study_summary(study)}

    study = _exclude(study, 3, people["owner"])

    after = {sentence.key: sentence.text for sentence in study_summary(study)}
    assert "trial #3" in before["best"] and "trial #6" in after["best"]


def test_the_summary_counts_an_excluded_pruned_trial_nowhere(people):
    study = make_study(people["owner"], space=SPACE)
    add_trials(study, _rows() + [("pruned", 5.0, {"x": 0.1, "y": 0.1})])

    study = _exclude(study, 12, people["owner"])

    assert "pruned" not in {sentence.key for sentence in study_summary(study)}


def _auto_study(people):
    auto = {"kind": "sklearn", "estimator": "auto", "dataset": "iris", "metric": "accuracy", "cv": 3}
    study = make_study(people["owner"], space={"estimator": {"type": "categorical", "choices": ["knn", "svm"]}},
                       objective=auto, directions=["maximize"], state="completed")
    add_trials(study, [("complete", 0.99, {"estimator": "knn"}), ("complete", 0.90, {"estimator": "knn"}),
                       ("complete", 0.95, {"estimator": "svm"})])
    return study


def test_the_leaderboard_leaves_out_an_excluded_trial(people):
    study = _exclude(_auto_study(people), 0, people["owner"], reason="scored on the training rows")

    families = read.leaderboard(study)["families"]

    assert [(row["estimator"], row["trial"], row["n_trials"]) for row in families] == [("svm", 2, 1), ("knn", 1, 1)]


def test_an_ensemble_with_an_excluded_member_is_no_longer_offered(people):
    study = _auto_study(people)
    Ensemble.objects.create(study=study, members=[0, 2], state="ready", value=0.995, details={}, best_trial=0,
                            best_value=0.99, beats=True)
    assert read.ensemble_of(study) is not None and read.winning_ensemble(study) is not None

    study = _exclude(study, 2, people["owner"], reason="scored on the training rows")

    assert (read.ensemble_of(study), read.winning_ensemble(study), read.leaderboard(study)["ensemble"]) == (
        None, None, None)


def test_excluding_and_including_each_bump_the_study_revision(people):
    study = _study(people)
    revision = study.revision

    excluded = _exclude(study, 3, people["owner"])
    included = _include(excluded, 3)

    assert (excluded.revision, included.revision) == (revision + 1, revision + 2)
    assert Trial.objects.get(study=study, number=3).revision == revision + 2
