"""Past ten parameters, parallel coordinates, slices and rank show the ones that matter most,
and the importance chart keeps a label beside every bar it draws."""

import random

import pytest

from dashboard import plots
from dashboard.charts import MAX_SHOWN_PARAMS
from tests.dashboard.conftest import add_trials, make_study

pytestmark = pytest.mark.django_db

# Thirty parameters of which only p7 and p23 move the value.
SPACE = {f"p{i}": {"type": "float", "low": 0, "high": 1} for i in range(30)}


def _study(owner, n_trials=60):
    study = make_study(owner, space=SPACE, n_trials=n_trials)
    rng = random.Random(0)
    rows = []
    for _ in range(n_trials):
        params = {name: rng.random() for name in SPACE}
        rows.append(("complete", 10 * params["p7"] + 5 * params["p23"] + 0.01 * rng.random(), params))
    add_trials(study, rows)
    return study


def _labels(figure):
    return [dimension["label"] for dimension in figure["traces"][0]["dimensions"]]


@pytest.mark.parametrize("chart", ["parallel", "slices", "rank"])
def test_a_chart_of_each_parameter_shows_the_ones_that_matter_most_and_says_so(site, owner, chart):
    study = _study(owner)

    figure = site.get(f"/studies/{study.pk}/charts/{chart}.json").json()

    names = _labels(figure)[:-1] if chart == "parallel" else [trace["name"] for trace in figure["traces"]]
    assert len(names) == MAX_SHOWN_PARAMS and {"p7", "p23"} <= set(names)
    assert figure["note"].startswith(f"Showing the {MAX_SHOWN_PARAMS} parameters that matter most, of 30")


def test_before_importance_can_be_told_the_first_parameters_are_shown_and_the_note_says_why(site, owner):
    study = _study(owner, n_trials=3)

    figure = site.get(f"/studies/{study.pk}/charts/parallel.json").json()

    assert _labels(figure) == [f"p{i}" for i in range(MAX_SHOWN_PARAMS)] + ["value"]
    assert "once enough trials are complete to tell which matter most" in figure["note"]


def test_a_study_of_ten_parameters_shows_every_one_without_a_note(site, owner):
    study = make_study(owner, space={f"p{i}": SPACE[f"p{i}"] for i in range(MAX_SHOWN_PARAMS)})
    add_trials(study, [("complete", float(i), {f"p{j}": 0.5 for j in range(MAX_SHOWN_PARAMS)}) for i in range(8)])

    figure = site.get(f"/studies/{study.pk}/charts/parallel.json").json()

    assert len(_labels(figure)) == MAX_SHOWN_PARAMS + 1 and figure["note"] is None


def test_importance_draws_every_label_of_the_bars_it_shows_and_sums_the_rest():
    scores = {f"p{i}": (30 - i) / 465 for i in range(30)}

    figure = plots.importance_bars(scores)

    assert figure["traces"][0]["y"][-1] == "p0" and len(figure["traces"][0]["y"]) == plots.MAX_IMPORTANCE_BARS
    assert figure["layout"]["yaxis"]["dtick"] == 1, "Plotly skips crowded labels unless told to draw each"
    assert figure["note"] == "Showing the 12 parameters that matter most, of 30; the other 18 explain 37% together."


def test_importance_says_the_one_parameter_it_leaves_out_explains_less_than_1_percent_not_0():
    scores = {f"p{i}": 0.999 / 12 for i in range(12)} | {"p12": 0.001}

    figure = plots.importance_bars(scores)

    assert figure["note"] == "Showing the 12 parameters that matter most, of 13; the other one explains less than 1%."
