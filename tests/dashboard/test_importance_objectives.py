"""Parameter importance of a study with several objectives: one bar per objective for each parameter."""

import pytest

from .conftest import add_trials, make_study

pytestmark = pytest.mark.django_db

TWO = ("maximize", "minimize")


def test_the_importance_chart_of_a_study_of_several_objectives_has_bars_for_each_objective(site, owner):
    # accuracy follows lr alone and latency_ms depth alone.
    study = make_study(owner, directions=TWO, name="each", objective_names=["accuracy", "latency_ms"])
    add_trials(study, [("complete", (float(i % 7), float((i * 3) % 11)), {"lr": 10 ** -(1 + (i % 7) / 7),
                                                                          "depth": 2 + (i * 3) % 11, "kernel": "rbf"})
                       for i in range(30)])

    figure = site.get(f"/studies/{study.pk}/charts/importance.json").json()

    bars = {trace["name"]: dict(zip(trace["y"], trace["x"])) for trace in figure["traces"]}
    assert set(bars) == {"accuracy", "latency_ms"}
    assert max(bars["accuracy"], key=bars["accuracy"].get) == "lr"
    assert max(bars["latency_ms"], key=bars["latency_ms"].get) == "depth"
    assert figure["layout"]["barmode"] == "group"


def test_the_importance_of_several_objectives_waits_for_enough_trials(site, owner):
    study = make_study(owner, directions=TWO, name="young")
    add_trials(study, [("complete", (0.9, 20.0), {"lr": 0.01, "depth": 3, "kernel": "rbf"})])

    figure = site.get(f"/studies/{study.pk}/charts/importance.json").json()

    assert figure["traces"] == [] and "needs at least 5 complete trials" in figure["empty"]
