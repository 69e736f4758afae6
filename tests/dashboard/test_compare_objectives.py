"""The compare page with studies of several objectives: no best value to compare, so their
hypervolumes, measured up to one corner, side by side."""

import pytest

from .conftest import add_trials, make_study

pytestmark = pytest.mark.django_db

TWO = ("maximize", "minimize")


def _multi(owner, name, points, directions=TWO, **fields):
    study = make_study(owner, directions=directions, name=name, **fields)
    add_trials(study, [("complete", point, {"lr": 0.01, "depth": 3, "kernel": "rbf"}) for point in points])
    return study


def _figures(site, *studies):
    response = site.get("/compare/?ids=" + ",".join(str(study.pk) for study in studies))
    assert response.status_code == 200
    return response.context["figures"], response.content.decode()


def test_studies_of_several_objectives_are_compared_by_hypervolume_not_by_a_first_objective(site, owner):
    slow = _multi(owner, "slow", [(0.5, 50.0), (0.6, 40.0), (0.9, 20.0)])
    quick = _multi(owner, "quick", [(0.9, 20.0), (0.5, 50.0), (0.6, 40.0)])

    figures, page = _figures(site, slow, quick)

    assert set(figures) == {"hypervolume"}, "no best-so-far line of a first objective, no best-value bar"
    lines = {trace["name"].split(" ")[1]: trace["y"] for trace in figures["hypervolume"]["traces"]}
    assert lines["quick"][0] == lines["slow"][-1] > lines["slow"][0], "one corner: the same front, the same volume"
    assert "Trade-offs found" in page and "Optimisation histories" not in page


def test_the_shared_corner_is_named_by_the_objectives_names(site, owner):
    named = _multi(owner, "named", [(0.9, 20.0), (0.5, 10.0)], objective_names=["accuracy", "latency_ms"])

    figures, _ = _figures(site, named)

    assert figures["hypervolume"]["note"].startswith("Measured up to the same corner for every study, where accuracy is ")


def test_a_study_of_other_directions_is_left_out_of_the_hypervolumes_and_said_so(site, owner):
    first = _multi(owner, "first", [(0.9, 20.0)])
    other = _multi(owner, "other", [(0.9, 20.0)], directions=("minimize", "minimize"))

    figures, _ = _figures(site, first, other)

    assert [trace["name"] for trace in figures["hypervolume"]["traces"]] == [f"#{first.pk} first (random)"]
    assert f"Left out, as they optimise other directions: #{other.pk} other (random)." in figures["hypervolume"]["note"]


def test_one_and_several_objectives_are_compared_each_their_own_way(site, owner):
    single = make_study(owner, name="single")
    add_trials(single, [("complete", 0.3, {"lr": 0.01, "depth": 3, "kernel": "rbf"})])
    multi = _multi(owner, "multi", [(0.9, 20.0)])

    figures, page = _figures(site, single, multi)

    assert set(figures) == {"history", "best", "hypervolume"}
    assert [trace["name"] for trace in figures["history"]["traces"] if trace["mode"] == "lines"] == [
        f"#{single.pk} single (random)"]
    assert "2 objectives: see its Pareto front" in page

