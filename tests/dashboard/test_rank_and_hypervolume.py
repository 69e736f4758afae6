"""The rank chart (every study) and the hypervolume history (multi-objective studies only)."""

import pytest

from dashboard import plots
from studies.engine import hypervolume_history
from studies.services.read import TrialRow

from .conftest import add_trials, make_study

pytestmark = pytest.mark.django_db

SPACE = {"lr": {"type": "float", "low": 1e-4, "high": 0.1, "log": True},
         "kernel": {"type": "categorical", "choices": ["rbf", "linear"]}}
BOTH_MIN = ("minimize", "minimize")


def _chart(site, study, name):
    response = site.get(f"/studies/{study.pk}/charts/{name}.json")
    assert response.status_code == 200
    return response.json()


@pytest.fixture
def single(owner):
    study = make_study(owner, space=SPACE)
    add_trials(study, [("complete", value, {"lr": lr, "kernel": kernel})
                       for value, lr, kernel in [(0.3, 0.01, "rbf"), (0.1, 0.001, "linear"), (0.2, 0.05, "rbf")]])
    return study


@pytest.fixture
def two_objectives(owner):
    """(1, 3), (3, 1) and (2, 2) make the front; (3, 3) is behind it. Reference: (3.2, 3.2)."""
    study = make_study(owner, space=SPACE, directions=BOTH_MIN)
    values = [(1.0, 3.0), (3.0, 3.0), (3.0, 1.0), (2.0, 2.0)]
    add_trials(study, [("complete", v, {"lr": 0.01, "kernel": "rbf"}) for v in values] + [("failed", None, {})])
    return study


def test_rank_colours_each_trial_by_its_place_by_value(site, single):
    figure = _chart(site, single, "rank")

    lr, kernel = figure["traces"]
    assert lr["y"] == [0.3, 0.1, 0.2]
    assert lr["marker"]["color"] == [3, 1, 2]
    assert kernel["x"] == ["rbf", "linear", "rbf"]
    assert figure["layout"]["xaxis2"]["type"] == "category"


def test_rank_of_a_maximised_value_puts_the_highest_first(site, owner):
    study = make_study(owner, space=SPACE, directions=("maximize",))
    add_trials(study, [("complete", v, {"lr": 0.01, "kernel": "rbf"}) for v in (0.3, 0.1, 0.2)])

    figure = _chart(site, study, "rank")

    assert figure["traces"][0]["marker"]["color"] == [1, 3, 2]


def test_rank_shows_one_colour_bar_for_all_panels(site, single):
    lr, kernel = _chart(site, single, "rank")["traces"]

    assert lr["marker"]["showscale"] and not kernel["marker"]["showscale"]
    assert lr["marker"]["colorbar"]["title"]["text"] == "rank"
    assert lr["marker"]["cmax"] == kernel["marker"]["cmax"] == 3


def test_rank_of_several_objectives_is_the_pareto_rank(site, two_objectives):
    figure = _chart(site, two_objectives, "rank")

    lr = figure["traces"][0]
    assert lr["marker"]["color"] == [1, 2, 1, 1]
    assert lr["y"] == [1.0, 3.0, 3.0, 2.0]
    assert lr["marker"]["colorbar"]["title"]["text"] == "Pareto rank"
    assert figure["layout"]["yaxis"]["title"]["text"] == "objective 1 (lowest is best)"


def test_rank_of_a_study_without_trials_says_so(site, owner):
    figure = _chart(site, make_study(owner, space=SPACE), "rank")

    assert figure["traces"] == [] and "No complete trials" in figure["empty"]


def test_rank_of_a_sample_says_what_it_shows():
    rows = [TrialRow(number=i, state="complete", value=float(i), params={"lr": 0.01}) for i in range(3)]

    figure = plots.rank({"lr": SPACE["lr"]}, rows, [1, 2, 3], ["minimize", "minimize"], n_total=5000)

    assert "Showing 3 of 5,000 trials" in figure["note"]
    assert "Pareto ranks are among the trials shown" in figure["note"]


def test_hypervolume_history_matches_the_hand_computed_volumes(site, two_objectives):
    # Reference (3.2, 3.2). After (1,3): 2.2 x 0.2 = 0.44; (3,3) changes nothing;
    # (3,1) adds 0.2 x 2.2 - overlap: staircase 2 x 0.2 + 0.2 x 2.2 = 0.84;
    # (2,2) adds the box [2,3] x [2,3] = 1: 1.84.
    figure = _chart(site, two_objectives, "hypervolume")

    [trace] = figure["traces"]
    assert trace["x"] == [0, 1, 2, 3]
    assert trace["y"] == pytest.approx([0.44, 0.44, 0.84, 1.84])
    assert figure["note"].startswith("Measured up to the corner where objective 1 is 3.2, objective 2 is 3.2.")


def test_hypervolume_of_a_single_objective_study_says_it_does_not_apply(site, single):
    figure = _chart(site, single, "hypervolume")

    assert figure["traces"] == [] and "several objectives" in figure["empty"]


def test_hypervolume_of_a_multi_objective_study_without_trials_says_so(site, owner):
    figure = _chart(site, make_study(owner, space=SPACE, directions=BOTH_MIN), "hypervolume")

    assert figure["traces"] == [] and figure["empty"] == "No complete trials yet."


def test_hypervolume_estimate_is_named_in_the_note():
    values = [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]]
    history = hypervolume_history(values, ["minimize"] * 3)
    estimated = type(history)(history.volumes, history.reference, exact=False)

    figure = plots.hypervolume([0, 1, 2], estimated, ["minimize"] * 3)

    assert "estimated from 20,000 random points" in figure["note"]


def test_study_page_shows_rank_but_not_hypervolume_for_one_objective(site, single):
    body = site.get(f"/studies/{single.pk}/").content.decode()

    assert 'data-chart="rank"' in body
    assert 'data-chart="hypervolume"' not in body


def test_study_page_shows_rank_and_hypervolume_for_several_objectives(site, two_objectives):
    body = site.get(f"/studies/{two_objectives.pk}/").content.decode()

    assert 'data-chart="rank"' in body and 'data-chart="hypervolume"' in body
    assert "Pareto rank: 1 for the best trade-offs" in body


def test_rank_of_a_sampled_trial_is_its_place_among_all_trials(site, single, monkeypatch):
    monkeypatch.setattr(plots, "MAX_SLICE_POINTS", 2)

    figure = _chart(site, single, "rank")

    lr = figure["traces"][0]
    # The best trial (0.1), then the spread's first (trial 0, 0.3): ranks 1 and 3 of the three.
    assert (lr["y"], lr["marker"]["color"]) == ([0.3, 0.1], [3, 1])
    assert figure["note"].startswith("Showing 2 of 3 trials")
