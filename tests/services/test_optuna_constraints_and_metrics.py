"""Constraints, metrics and attrs through Optuna, both ways: the export keeps a trial's
constraints as Optuna's system attr `constraints` (which its samplers and plots read) and its
metrics as user attrs `metrics.<name>` beside its attrs; the import maps them back, so Tuner →
Optuna → Tuner keeps constraints, feasibility, metrics and attrs."""

from io import StringIO

import optuna
import pytest
from django.core.management import CommandError, call_command

from studies.models import Study, Trial
from studies.services import imports, optuna_io
from studies.services.errors import InvalidInput
from tests.roles import add_trials, make_study

pytestmark = pytest.mark.django_db

optuna.logging.set_verbosity(optuna.logging.ERROR)
X = {"x": optuna.distributions.FloatDistribution(0, 1)}


@pytest.fixture
def measured(owner):
    """Two objectives; trial 1 broke its second constraint; each trial has a metric, trial 0 two attrs."""
    study = make_study(owner, name="measured", directions=["minimize", "maximize"])
    extras = [
        {"constraints": [-1.0, -0.5], "feasible": True, "metrics": {"size_mb": 12.5, "recall": 0.8},
         "attrs": {"commit": "3f2a1c9", "tags": ["gpu", "fp16"]}},
        {"constraints": [-1.0, 0.25], "feasible": False, "metrics": {"size_mb": 60.0}, "attrs": {}},
        {"constraints": [0.0, -2.0], "feasible": True, "metrics": {}, "attrs": {"note": "metrics.x is just text"}},
    ]
    for trial, extra in zip(add_trials(study, [("complete", None, {"x": x, "y": 0.5}) for x in (0.1, 0.2, 0.3)]), extras):
        Trial.objects.filter(pk=trial.pk).update(values=[trial.params["x"], 1.0 - trial.params["x"]], **extra)
    Study.objects.filter(pk=study.pk).update(metric_names=["size_mb", "recall"], attr_names=["commit", "tags", "note"])
    study.refresh_from_db()
    return study


def _exported(study, tmp_path):
    path = tmp_path / "exported.log"
    path.write_bytes(optuna_io.export_optuna(study.pk))
    storage = optuna.storages.JournalStorage(optuna.storages.journal.JournalFileBackend(str(path)))
    return path, optuna.load_study(storage=storage, study_name=study.name)


def _import(storage, name, owner):
    out = StringIO()
    call_command("import_optuna", "--storage", str(storage), "--study", name, "--owner", owner.username,
                 stdout=out, stderr=StringIO())
    return Study.objects.get(pk=int(out.getvalue().strip()))


def _extras(study):
    return list(Trial.objects.filter(study=study).order_by("number")
                .values_list("constraints", "feasible", "metrics", "attrs"))


def test_the_export_keeps_constraints_as_optunas_system_attr(measured, tmp_path):
    _, loaded = _exported(measured, tmp_path)

    assert [t.system_attrs["constraints"] for t in loaded.trials] == [[-1.0, -0.5], [-1.0, 0.25], [0.0, -2.0]]
    assert loaded.trials[1].constraints == {"0": -1.0, "1": 0.25}  # what Optuna's samplers read


def test_optunas_pareto_plot_marks_the_infeasible_trial(measured, tmp_path):
    _, loaded = _exported(measured, tmp_path)

    figure = optuna.visualization.plot_pareto_front(loaded)

    infeasible = [trace for trace in figure.data if "Infeasible Trial" in (trace.hovertemplate or "")]
    assert len(infeasible) == 1 and list(infeasible[0].x) == [0.2]


def test_the_export_keeps_metrics_as_prefixed_user_attrs_beside_the_attrs(measured, tmp_path):
    _, loaded = _exported(measured, tmp_path)

    assert loaded.trials[0].user_attrs == {"commit": "3f2a1c9", "tags": ["gpu", "fp16"], "metrics.size_mb": 12.5,
                                           "metrics.recall": 0.8}
    assert loaded.trials[1].user_attrs == {"metrics.size_mb": 60.0}


def test_tuner_to_optuna_to_tuner_keeps_constraints_feasibility_metrics_and_attrs(measured, tmp_path, owner):
    path, _ = _exported(measured, tmp_path)

    back = _import(path, "measured", owner)

    assert _extras(back) == _extras(measured)
    assert back.metric_names == ["size_mb", "recall"] and back.attr_names == ["commit", "tags", "note"]


def _constrained(trial):
    x = trial.suggest_float("x", 0, 1)
    trial.set_constraint("x_over_half", x - 0.5)  # Optuna 5's named constraints
    return x**2


def test_an_optuna_study_with_named_constraints_imports_them(owner, tmp_path):
    url = f"sqlite:///{tmp_path / 'constrained.db'}"
    source = optuna.create_study(storage=url, study_name="constrained",
                                 sampler=optuna.samplers.TPESampler(seed=0, n_startup_trials=2))
    source.optimize(_constrained, n_trials=6)

    back = _import(url, "constrained", owner)

    for theirs, (constraints, feasible, _, _) in zip(source.trials, _extras(back)):
        assert constraints == [theirs.params["x"] - 0.5] and feasible == (theirs.params["x"] <= 0.5)


def test_constraints_in_optunas_list_form_are_imported(owner, tmp_path):
    url = f"sqlite:///{tmp_path / 'listed.db'}"
    source = optuna.create_study(storage=url, study_name="listed")
    source.add_trial(optuna.trial.create_trial(params={"x": 0.5}, distributions=X, value=1.0,
                                               system_attrs={"constraints": [0.5, -1.0]}))

    back = _import(url, "listed", owner)

    assert _extras(back)[0][:2] == ([0.5, -1.0], False)


def test_a_user_attr_that_is_not_a_number_stays_an_attr_even_under_the_metrics_prefix(owner, tmp_path):
    url = f"sqlite:///{tmp_path / 'attrs.db'}"
    source = optuna.create_study(storage=url, study_name="attrs")
    source.add_trial(optuna.trial.create_trial(params={"x": 0.5}, distributions=X, value=1.0, user_attrs={
        "metrics.loss": 0.25, "metrics.stage": "warmup", "metrics.": 3, "epochs": 12}))

    back = _import(url, "attrs", owner)

    [(_, _, metrics, attrs)] = _extras(back)
    assert metrics == {"loss": 0.25}
    assert attrs == {"metrics.stage": "warmup", "metrics.": 3, "epochs": 12}


def test_trials_with_different_numbers_of_constraints_are_named_and_nothing_is_stored(owner, tmp_path):
    url = f"sqlite:///{tmp_path / 'uneven.db'}"
    source = optuna.create_study(storage=url, study_name="uneven")
    for constraints in ([0.1], [0.1, -0.2]):
        source.add_trial(optuna.trial.create_trial(params={"x": 0.5}, distributions=X, value=1.0,
                                                   system_attrs={"constraints": constraints}))

    with pytest.raises(CommandError, match=r"trial 1: constraints: the study's trials give 1 constraint\(s\); "
                                           r"this one gives 2"):
        _import(url, "uneven", owner)
    assert not Study.objects.exists()


def test_a_warm_start_from_another_study_keeps_constraints_and_metrics(measured, owner):
    target = make_study(owner, name="target", directions=["minimize", "maximize"], n_trials=10)

    imports.import_from_study(target.pk, measured.pk)

    assert _extras(target) == _extras(measured)
    target.refresh_from_db()
    assert target.metric_names == ["size_mb", "recall"]


def test_a_warm_start_from_a_study_with_another_number_of_constraints_is_refused(measured, owner):
    target = make_study(owner, name="target", directions=["minimize", "maximize"], n_trials=10)
    [trial] = add_trials(target, [("complete", None, {"x": 0.5, "y": 0.5})])
    Trial.objects.filter(pk=trial.pk).update(values=[0.5, 0.5], constraints=[-1.0], feasible=True)

    with pytest.raises(InvalidInput) as refused:
        imports.import_from_study(target.pk, measured.pk)

    assert refused.value.errors == {"from_study": [
        f"study {measured.pk}'s trials give 2 constraint(s) and this study's give 1; every trial of a study gives "
        "the same number"]}
    assert Trial.objects.filter(study=target).count() == 1
