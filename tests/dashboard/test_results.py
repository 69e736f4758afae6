"""The result as every visitor sees it: the leaderboard, the baseline beside the best value, the
result in words first in the summary, and the baseline on the history chart; on the study page of a
viewer, through a share link, in the live poll and in the report. Everything shown is escaped."""

import html
import json
import re

import pytest

from studies.models import Dataset, Trial
from studies.services import share_links

from tests.results import TWO_FAMILIES, ready_baseline, ready_ensemble
from tests.roles import IRIS, add_trials, join_as, make_study, people  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db
FOLDS = {0: [0.9, 0.92, 0.88], 1: [0.96, 0.94, 0.95], 2: [0.93, 0.95, 0.94]}


@pytest.fixture
def result(people):
    """A finished study that let Tuner choose between two families, its baseline and its ensemble, shared."""
    space = {"estimator": {"type": "categorical", "choices": ["knn", "logistic_regression"]}}
    study = make_study(people["owner"], objective=TWO_FAMILIES, directions=["maximize"], state="completed",
                       name="flowers", space=space)
    add_trials(study, [("complete", 0.9, {"estimator": "knn"}),
                       ("complete", 0.95, {"estimator": "logistic_regression"}),
                       ("complete", 0.94, {"estimator": "knn"})])
    for number, scores in FOLDS.items():
        Trial.objects.filter(study=study, number=number).update(details={
            "cv_mean": sum(scores) / 3, "cv_std": 0.01 * (number + 1), "fit_time_s": 0.05, "fold_scores": scores})
    ready_baseline(study, value=0.333, cv_std=0.004)
    ready_ensemble(study, [1, 2], beats=True, value=0.961, best_value=0.95)
    join_as(study.pk, "vera", "viewer")
    _, token = share_links.create_share_link(study.pk, people["owner"])
    return {"study": study, "token": token}


def _text(response):
    """The page's visible text, tags dropped, entities decoded, spaces collapsed."""
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())))


def _page_data(response):
    block = re.search(r'<script id="page-data" type="application/json">(.*?)</script>', response.content.decode(),
                      re.S)
    return json.loads(block.group(1))


def test_a_viewer_sees_the_leaderboard_best_first_with_the_ensemble_and_the_baseline(client, people, result):
    client.force_login(people["viewer"])

    text = _text(client.get(f"/studies/{result['study'].pk}/"))

    assert "Which kind of model works best" in text
    assert re.search(r"1 Logistic regression 0\.95 ± 0\.02 0\.05 s #1 1 "
                     r"2 Nearest neighbours 0\.94 ± 0\.03 0\.05 s #2 2", text)
    assert ("Average of the best 2 (trials #1, #2) beats the best single model: offered as the result 0.961 ± 0.01"
            in text)
    assert "A guess that ignores every column always answering '0' 0.333 ± 0.004" in text


def test_the_baseline_sentence_sits_beside_the_best_value(client, people, result):
    client.force_login(people["viewer"])

    response = client.get(f"/studies/{result['study'].pk}/")

    best_card = response.content.decode().split('data-field="best_value"')[1].split("</div>\n  </div>")[0]
    assert "A guess that ignores every column (always answering &#x27;0&#x27;) scores 0.333." in best_card


def test_the_summary_leads_with_the_result_in_words(client, people, result):
    client.force_login(people["viewer"])

    response = client.get(f"/studies/{result['study'].pk}/")

    keys = [sentence.key for sentence in response.context["summary"]]
    assert keys[:5] == ["data", "result", "spread", "ensemble", "best"]  # clearly above the guess: no verdict
    text = _text(response)
    assert "The model predicts the column 'target' from the other columns of iris." in text
    assert ("The best model is right for about 95 of every 100 rows (accuracy 0.950); always answering '0' is right "
            "for 33.") in text
    assert "That is the average of 3 tests on rows the model had not seen, give or take 2 in 100" in text
    assert ("Averaging the best 2 models, one of each kind, beats the best single model: 0.961 against 0.95 "
            "(accuracy). The average is offered as the result.") in text


def test_the_history_chart_gets_the_baseline(client, people, result):
    client.force_login(people["viewer"])

    page = _page_data(client.get(f"/studies/{result['study'].pk}/"))

    assert page["results"]["baseline"]["value"] == 0.333
    assert page["results"]["pending"] is False


def test_a_share_link_shows_the_same_result(client, result):
    text = _text(client.get(f"/share/{result['token']}/"))

    assert "Which kind of model works best" in text and "Logistic regression 0.95" in text
    assert "A guess that ignores every column (always answering '0') scores 0.333." in text
    assert "The best model is right for about 95 of every 100 rows" in text


def test_a_share_link_does_not_call_the_data_the_viewers_own(client, result):
    text = _text(client.get(f"/share/{result['token']}/"))

    assert "Tuner tried several kinds of model on the study's data." in text
    assert "your data" not in text


def test_the_live_poll_carries_the_result_for_the_page_script(client, result):
    body = client.get(f"/share/{result['token']}/live.json?since=0&summary=1").json()

    assert [row["estimator"] for row in body["results"]["leaderboard"]["families"]] == ["logistic_regression", "knn"]
    assert body["results"]["baseline"]["sentence"].startswith("A guess that ignores every column")
    assert body["summary"][1]["key"] == "result"


def test_the_report_holds_the_leaderboard_the_baseline_and_the_sentences(client, people, result):
    client.force_login(people["viewer"])

    response = client.get(f"/studies/{result['study'].pk}/report.html")

    text = _text(response)
    assert "Which kind of model works best" in text and "Logistic regression 0.95" in text
    assert "A guess that ignores every column (always answering '0') scores 0.333." in text
    assert "The best model is right for about 95 of every 100 rows" in text
    assert '"baseline": 0.333' in response.content.decode()
    assert 'href="trials/' not in response.content.decode().split('id="leaderboard"')[1].split("</section>")[0]


def test_a_study_of_one_model_shows_the_baseline_but_no_leaderboard(client, people):
    study = make_study(people["owner"], objective=IRIS, directions=["maximize"], state="completed",
                       space={"C": {"type": "float", "low": 0.01, "high": 100, "log": True}})
    add_trials(study, [("complete", 0.9, {"C": 1.0})])
    ready_baseline(study)
    client.force_login(people["owner"])

    text = _text(client.get(f"/studies/{study.pk}/"))

    assert "Which kind of model works best" not in text
    assert "A guess that ignores every column (always answering '0') scores 0.33." in text


def test_file_and_column_names_are_shown_as_text_never_as_markup(client, people, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    dataset = Dataset.objects.create(owner=people["owner"], name="<script>alert(1)</script>.csv", file="d.csv",
                                     n_rows=9, columns=[])
    objective = {**TWO_FAMILIES, "dataset": f"csv:{dataset.pk}", "target": "<img src=x onerror=alert(2)>",
                 "task": "classification"}
    study = make_study(people["owner"], objective=objective, directions=["maximize"], state="completed",
                       space={"estimator": {"type": "categorical", "choices": ["knn"]}})
    add_trials(study, [("complete", 0.9, {"estimator": "knn"})])
    ready_baseline(study, roles={"majority": "<b>no</b>", "positive": None})
    client.force_login(people["owner"])

    for path in ("", "report.html"):
        page = client.get(f"/studies/{study.pk}/{path}").content.decode()
        assert "<script>alert(1)" not in page and "<img src=x" not in page and "<b>no</b>" not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;.csv" in page


def test_the_header_names_the_uploaded_file_and_the_families_tuner_chose_among(client, people, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    dataset = Dataset.objects.create(owner=people["owner"], name="customers.csv", file="d.csv", n_rows=9, columns=[])
    objective = {**TWO_FAMILIES, "dataset": f"csv:{dataset.pk}", "target": "churn", "task": "classification"}
    study = make_study(people["owner"], objective=objective, directions=["maximize"])
    client.force_login(people["owner"])

    text = _text(client.get(f"/studies/{study.pk}/"))

    assert "the best of nearest neighbours and logistic regression on customers.csv → churn (Accuracy)" in text


def test_kinds_of_model_tried_only_a_few_times_are_said_to_be_hard_to_judge(client, people, result):
    client.force_login(people["owner"])

    text = _text(client.get(f"/studies/{result['study'].pk}/"))

    assert ("Nearest neighbours (2 trials) was tried too few times to judge: with more trials it might do better "
            "than its rank says.") in text


def test_the_best_kind_of_model_is_never_said_to_be_hard_to_judge(client, people, result):
    client.force_login(people["owner"])

    text = _text(client.get(f"/studies/{result['study'].pk}/"))

    assert "Logistic regression (1 trial) was tried" not in text


def test_when_every_other_kind_was_tried_a_few_times_the_note_says_so_in_one_sentence(client, people):
    families = ["knn", "logistic_regression", "svm", "random_forest"]
    study = make_study(people["owner"], objective={**TWO_FAMILIES, "estimator": "auto"}, directions=["maximize"],
                       state="completed", space={"estimator": {"type": "categorical", "choices": families}})
    add_trials(study, [("complete", 0.9, {"estimator": "logistic_regression"})] * 6 +
               [("complete", 0.5, {"estimator": name}) for name in ("knn", "svm", "random_forest", "knn", "svm")])
    client.force_login(people["owner"])

    text = _text(client.get(f"/studies/{study.pk}/"))

    assert ("Every kind but logistic regression was tried only 1 to 2 times, too few to judge: with more trials "
            "some might do better than their rank says.") in text
