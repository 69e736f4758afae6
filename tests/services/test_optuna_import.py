"""Optuna → Tuner → Optuna: `manage.py import_optuna` and the journal export keep every trial
(params, values, states, intermediate values, user attrs)."""

import sys
import warnings
from io import StringIO

import optuna
import pytest
from django.core.management import CommandError, call_command

from studies.models import Study, Trial
from studies.services import optuna_io

pytestmark = pytest.mark.django_db

optuna.logging.set_verbosity(optuna.logging.ERROR)


def _objective(trial):
    kind = trial.suggest_categorical("kind", ["a", "b"])
    x = trial.suggest_float("x", 1e-3, 1.0, log=True)
    trial.set_user_attr("machine", {"gpu": kind == "a", "name": "box-3"})
    if kind == "a":
        trial.suggest_int("n", 1, 9, step=2)
    for step in range(3):
        trial.report(x * step, step)
    if x > 0.3:
        raise optuna.TrialPruned()
    if x < 0.003:
        raise ValueError("diverged")
    return x


def _fill(study, seed):
    # Run in memory, then copy in: one write per trial instead of one per param and report,
    # which on a busy disk is the difference between one second and ten.
    scratch = optuna.create_study(directions=study.directions, sampler=optuna.samplers.RandomSampler(seed))
    scratch.optimize(_objective, n_trials=16, catch=(ValueError,))
    study.add_trials(scratch.trials)
    study.enqueue_trial({"kind": "b", "x": 0.5})  # a waiting trial: left out, and said so
    return study


@pytest.fixture(scope="module")
def sqlite_study(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('sqlite') / 'optuna.db'}"
    return url, _fill(optuna.create_study(storage=url, study_name="sqlite study"), seed=3)


@pytest.fixture(scope="module")
def journal_study(tmp_path_factory):
    path = tmp_path_factory.mktemp("journal") / "optuna.log"
    storage = optuna.storages.JournalStorage(optuna.storages.journal.JournalFileBackend(str(path)))
    return str(path), _fill(optuna.create_study(storage=storage, study_name="journal study", direction="maximize"), 1)


def _import(storage, name, **options):
    out, err = StringIO(), StringIO()
    call_command("import_optuna", "--storage", storage, "--study", name, stdout=out, stderr=err, **options)
    return int(out.getvalue().strip()), err.getvalue()


def _exported(study_id, tmp_path, name):
    path = tmp_path / "exported.log"
    path.write_bytes(optuna_io.export_optuna(study_id))
    storage = optuna.storages.JournalStorage(optuna.storages.journal.JournalFileBackend(str(path)))
    return optuna.load_study(storage=storage, study_name=name)


def _same_trials(source, back):
    finished = [t for t in source.trials if t.state.is_finished()]
    assert [t.state for t in back.trials] == [t.state for t in finished]
    assert [t.params for t in back.trials] == [t.params for t in finished]
    assert [t.values for t in back.trials] == [t.values for t in finished]
    assert [t.intermediate_values for t in back.trials] == [t.intermediate_values for t in finished]
    assert [t.user_attrs for t in back.trials] == [t.user_attrs for t in finished]


def test_a_sqlite_study_round_trips_with_every_params_value_state_and_intermediate_value(owner, sqlite_study, tmp_path):
    url, source = sqlite_study

    study_id, _ = _import(url, "sqlite study", owner=owner.username)
    back = _exported(study_id, tmp_path, "sqlite study")

    _same_trials(source, back)
    assert {t.state for t in back.trials} == {optuna.trial.TrialState.COMPLETE, optuna.trial.TrialState.PRUNED,
                                              optuna.trial.TrialState.FAIL}


def test_a_journal_study_round_trips_with_its_direction(owner, journal_study, tmp_path):
    path, source = journal_study

    study_id, _ = _import(path, "journal study", owner=owner.username)
    back = _exported(study_id, tmp_path, "journal study")

    _same_trials(source, back)
    assert back.directions == [optuna.study.StudyDirection.MAXIMIZE]


def test_the_imported_study_is_a_completed_external_study_of_imported_trials(owner, sqlite_study):
    url, source = sqlite_study

    study_id, note = _import(url, "sqlite study", owner=owner.username)

    study = Study.objects.get(pk=study_id)
    assert (study.owner, study.state, study.is_external, study.sampler) == (owner, "completed", True, {"name": "auto"})
    assert study.search_space["n"]["condition"] == {"kind": ["a"]}
    assert set(study.trials.values_list("origin", flat=True)) == {Trial.Origin.IMPORTED}
    assert study.trials.get(number=0).attrs == source.trials[0].user_attrs and study.attr_names == ["machine"]
    assert "1 running or waiting trial was left out" in note
    first, ours = source.trials[0], study.trials.get(number=0)
    assert ours.duration_s == pytest.approx((first.datetime_complete - first.datetime_start).total_seconds())


def test_the_imported_study_ran_from_its_first_trials_start_to_its_last_trials_end(owner, sqlite_study):
    url, _ = sqlite_study

    study = Study.objects.get(pk=_import(url, "sqlite study", owner=owner.username)[0])

    trials = list(study.trials.all())
    assert study.started_at == min(t.started_at for t in trials)
    assert study.finished_at == max(t.finished_at for t in trials)
    assert study.finished_at > study.started_at


def test_the_owner_defaults_to_the_only_superuser(django_user_model, sqlite_study):
    admin = django_user_model.objects.create_superuser("root", "", "pw")

    study_id, _ = _import(sqlite_study[0], "sqlite study")

    assert Study.objects.get(pk=study_id).owner == admin


def test_without_one_superuser_the_command_asks_for_an_owner(sqlite_study):
    with pytest.raises(CommandError, match="pass --owner USERNAME"):
        _import(sqlite_study[0], "sqlite study")


def test_a_missing_study_is_named_with_the_studies_the_storage_holds(owner, sqlite_study):
    with pytest.raises(CommandError, match="no study named 'nope' in this storage; it holds 'sqlite study'"):
        _import(sqlite_study[0], "nope", owner=owner.username)
    assert not Study.objects.exists()


def test_a_distribution_that_cannot_be_mapped_is_named_and_nothing_is_stored(owner, tmp_path):
    url = f"sqlite:///{tmp_path / 'odd.db'}"
    study = optuna.create_study(storage=url, study_name="odd")
    study.optimize(lambda t: t.suggest_float("learning-rate", 0, 1), n_trials=2)

    with pytest.raises(CommandError) as caught:
        _import(url, "odd", owner=owner.username)

    assert "cannot be mapped to a Tuner search space" in str(caught.value)
    assert '"learning-rate"' in str(caught.value)
    assert not Study.objects.exists() and not Trial.objects.exists()


def test_a_file_that_is_not_an_optuna_storage_is_refused(owner, tmp_path):
    path = tmp_path / "notes.log"
    path.write_text('{"some": "json"}\n')

    with pytest.raises(CommandError, match="this is not an Optuna storage file"):
        _import(str(path), "x", owner=owner.username)


def test_without_optuna_the_command_says_how_to_install_it(owner, sqlite_study, monkeypatch):
    monkeypatch.setitem(sys.modules, "optuna", None)  # `import optuna` now raises ImportError

    with pytest.raises(CommandError, match=r"pip install -r requirements-optuna.txt"):
        _import(sqlite_study[0], "sqlite study", owner=owner.username)


def test_a_sqlite_url_with_no_file_behind_it_is_named_and_no_file_is_made(owner, tmp_path):
    missing = tmp_path / "missing.db"

    with pytest.raises(CommandError, match="there is no file at"):
        _import(f"sqlite:///{missing}", "x", owner=owner.username)

    assert not missing.exists()


def test_a_multi_objective_study_round_trips_with_both_values(owner, tmp_path):
    path = tmp_path / "two.log"
    storage = optuna.storages.JournalStorage(optuna.storages.journal.JournalFileBackend(str(path)))
    source = optuna.create_study(storage=storage, study_name="two", directions=["minimize", "maximize"])
    for x in (0.2, 0.7):
        source.add_trial(optuna.trial.create_trial(
            params={"x": x}, distributions={"x": optuna.distributions.FloatDistribution(0, 1)}, values=[x, 1 - x]))

    study_id, _ = _import(str(path), "two", owner=owner.username)
    back = _exported(study_id, tmp_path, "two")

    _same_trials(source, back)
    assert Study.objects.get(pk=study_id).directions == ["minimize", "maximize"]


def _two_objectives(tmp_path, names):
    path = tmp_path / "named.log"
    storage = optuna.storages.JournalStorage(optuna.storages.journal.JournalFileBackend(str(path)))
    source = optuna.create_study(storage=storage, study_name="named", directions=["maximize", "minimize"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # set_metric_names is "experimental"
        source.set_metric_names(names)
    source.add_trial(optuna.trial.create_trial(
        params={"x": 0.5}, distributions={"x": optuna.distributions.FloatDistribution(0, 1)}, values=[0.5, 0.5]))
    return str(path)


def test_the_names_optuna_gave_the_objectives_round_trip(owner, tmp_path):
    path = _two_objectives(tmp_path, ["accuracy", "latency_ms"])

    study_id, _ = _import(path, "named", owner=owner.username)
    back = _exported(study_id, tmp_path, "named")

    assert Study.objects.get(pk=study_id).objective_names == ["accuracy", "latency_ms"]
    assert back.metric_names == ["accuracy", "latency_ms"]


def test_the_name_optuna_gave_a_single_objective_round_trips(owner, tmp_path):
    path = tmp_path / "one.log"
    storage = optuna.storages.JournalStorage(optuna.storages.journal.JournalFileBackend(str(path)))
    source = optuna.create_study(storage=storage, study_name="one", direction="minimize")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # set_metric_names is "experimental"
        source.set_metric_names(["validation loss"])
    source.add_trial(optuna.trial.create_trial(
        params={"x": 0.5}, distributions={"x": optuna.distributions.FloatDistribution(0, 1)}, value=0.25))

    study_id, _ = _import(str(path), "one", owner=owner.username)
    back = _exported(study_id, tmp_path, "one")

    assert Study.objects.get(pk=study_id).objective_names == ["validation loss"]
    assert back.metric_names == ["validation loss"]


def test_objective_names_tuner_would_refuse_are_left_out_and_the_trials_imported(owner, tmp_path):
    path = _two_objectives(tmp_path, ["accuracy", "accuracy"])

    study_id, _ = _import(path, "named", owner=owner.username)

    study = Study.objects.get(pk=study_id)
    assert study.objective_names == [] and study.trials.count() == 1


def test_user_attrs_over_tuners_cap_are_named_and_nothing_is_stored(owner, tmp_path):
    url = f"sqlite:///{tmp_path / 'big.db'}"
    study = optuna.create_study(storage=url, study_name="big")
    study.add_trial(optuna.trial.create_trial(
        params={"x": 0.5}, distributions={"x": optuna.distributions.FloatDistribution(0, 1)}, value=1.0,
        user_attrs={"log": "x" * 20_000}))

    with pytest.raises(CommandError, match="trial 0: attrs: attrs may take at most 16 KB"):
        _import(url, "big", owner=owner.username)
    assert not Study.objects.exists()
