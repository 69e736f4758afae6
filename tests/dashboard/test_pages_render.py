"""Every page renders for the study shapes that break naive pages."""

import html

import pytest

from studies.models import Study

pytestmark = pytest.mark.django_db

SHAPES = ["empty_study", "one_trial_study", "failed_study", "categorical_study", "multi_study", "busy_study"]


@pytest.mark.parametrize("shape", SHAPES)
def test_study_page_renders(site, shape, request):
    study = request.getfixturevalue(shape)

    response = site.get(f"/studies/{study.pk}/")

    assert response.status_code == 200
    assert study.name in response.content.decode()


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("chart", ["parallel", "slices", "contour", "curves", "edf", "timeline", "pareto", "importance",
                                   "rank", "hypervolume"])
def test_every_chart_answers_json_for_every_shape(site, shape, chart, request):
    study = request.getfixturevalue(shape)

    response = site.get(f"/studies/{study.pk}/charts/{chart}.json?x=lr&y=depth")

    assert response.status_code == 200
    body = response.json()
    assert body["traces"] or body["empty"]


@pytest.mark.parametrize("shape", [shape for shape in SHAPES if shape != "empty_study"])
def test_trial_page_renders(site, shape, request):
    study = request.getfixturevalue(shape)
    number = study.trials.values_list("number", flat=True).first()

    response = site.get(f"/studies/{study.pk}/trials/{number}/")

    assert response.status_code == 200


def test_failed_trial_page_shows_the_full_error(site, failed_study):
    response = site.get(f"/studies/{failed_study.pk}/trials/0/")

    assert "ValueError: boom" in response.content.decode()


@pytest.fixture
def external_page(site, empty_study):
    """The page of a study that waits for the user's own code, as HTML."""
    return site.get(f"/studies/{empty_study.pk}/").content.decode()


def test_external_study_page_shows_snippets_with_its_id(external_page, empty_study):
    assert f'tuner_client.Study("http://testserver", study_id={empty_study.pk})' in html.unescape(external_page)
    assert f"tuner-agent --study {empty_study.pk} -- python train.py --lr {{lr}}" in external_page


def test_external_study_page_shows_how_to_install_the_agent_from_this_server(external_page):
    assert "pip install http://testserver/client/tuner-client.tar.gz" in external_page


def test_external_study_page_says_how_the_script_prints_its_result_for_the_agent(external_page):
    text = html.unescape(external_page)

    assert "Your script prints its result on a line of its own, <code>tuner: value=0.93</code>;" in text
    assert '<code>print(f"tuner: value={score}")</code>' in text
    assert "report progress, so a poor trial can be stopped early" in text


def test_a_study_with_two_objectives_shows_a_result_line_with_one_number_per_objective(site, multi_study):
    text = html.unescape(site.get(f"/studies/{multi_study.pk}/").content.decode())

    assert "<code>tuner: values=0.93,41.2</code>: one number per objective, in the order of the study's " \
           "directions (minimize, maximize)" in text
    assert '<code>print(f"tuner: values={objective_1},{objective_2}")</code>' in text
    assert "trial.tell(values=values)" in text
    assert "[the one to minimize, the one to maximize]" in text
    assert "so a poor trial can be stopped early" not in text, "a study with several objectives prunes nothing"


@pytest.mark.parametrize("state", Study.FINISHED_STATES)
def test_a_finished_study_no_longer_shows_how_to_run_trials_of_your_own_code(site, empty_study, state):
    Study.objects.filter(pk=empty_study.pk).update(state=state)

    page = site.get(f"/studies/{empty_study.pk}/").content.decode()

    assert 'id="own-code"' not in page
    assert "tuner-agent --study" not in page


def test_wizard_renders_with_every_engine_sampler(site):
    from studies.engine import SAMPLERS

    response = site.get("/studies/new/")

    body = response.content.decode()
    assert response.status_code == 200
    for name in SAMPLERS:
        assert f'"name": "{name}"' in body


def test_the_wizard_shows_the_python_loop_of_the_study_page_before_the_study_has_an_id(site):
    text = html.unescape(site.get("/studies/new/").content.decode())

    assert 'tuner_client.Study("http://testserver", study_id=<id>)' in text
    assert "trial.report(epoch, score)" in text
    assert "tuner-agent --study <id> -- python train.py --lr {lr}" in text


def test_wizard_prefills_a_duplicate(site, busy_study):
    response = site.get(f"/studies/new/?from={busy_study.pk}")

    assert '"name": "busy (copy)"' in response.content.decode()


def test_auto_sampler_page_says_which_sampler_it_chose_and_why(site, owner):
    from studies.engine import SAMPLERS
    from tests.dashboard.conftest import make_study

    if "auto" not in SAMPLERS:
        pytest.skip("the engine has no auto sampler")
    study = make_study(owner, name="auto", sampler={"name": "auto"})

    response = site.get(f"/studies/{study.pk}/")

    assert response.context["header"]["sampler"].endswith(", chosen by Tuner")
    assert response.context["sampler_reason"]


def test_importance_waits_for_enough_complete_trials(site, one_trial_study):
    body = site.get(f"/studies/{one_trial_study.pk}/charts/importance.json").json()

    assert body["traces"] == []
    assert "at least 5 complete trials" in body["empty"]


def test_importance_ranks_parameters_once_there_are_enough_trials(site, categorical_study):
    body = site.get(f"/studies/{categorical_study.pk}/charts/importance.json").json()

    assert set(body["traces"][0]["y"]) == {"kernel", "shrink"}


def test_trial_page_shows_the_worker_and_its_last_heartbeat(site, owner):
    from django.utils import timezone

    from tests.dashboard.conftest import add_trials, make_study

    study = make_study(owner, name="heartbeats")
    add_trials(study, [("running", None, {"lr": 0.01, "depth": 3, "kernel": "rbf"})])
    study.trials.update(worker="gpu-box:4242", heartbeat_at=timezone.now())

    response = site.get(f"/studies/{study.pk}/trials/0/")

    assert b"gpu-box:4242" in response.content
    assert b"last heartbeat" in response.content
    assert b'data-field="heartbeat">\xe2\x80\x94<' not in response.content
