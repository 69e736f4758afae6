"""What the offline report shows of constraints, metrics, attrs, files and several objectives,
as the study page does: the best trials with their metric and attr columns and the infeasible
ones marked, each trial's files listed where the visitor may see files, and the rank and
hypervolume charts built by the page's own figure builders."""

import json
import re
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from dashboard import charts
from studies import access
from studies.models import Study, Trial
from studies.services import artifacts, read, share_links
from tests.roles import add_trials, make_study, people, study  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def measured(study):
    """`study` (trial 5 has the lowest value, then 4 and 6) where trial 5 broke its second
    constraint, every trial recorded a recall metric and a commit attr, and trial 4 attached a plot."""
    for trial in Trial.objects.filter(study=study, state="complete"):
        broken = trial.number == 5
        Trial.objects.filter(pk=trial.pk).update(
            constraints=[-1.0, 0.25 if broken else -0.5], feasible=not broken,
            metrics={"recall": trial.number / 10}, attrs={"commit": f"c{trial.number}"})
    Study.objects.filter(pk=study.pk).update(metric_names=["recall"], attr_names=["commit"])
    study.refresh_from_db()
    return study


def _attach(study, user, number, name="loss.png", content=PNG):
    trial = Trial.objects.get(study=study, number=number)
    return artifacts.attach_artifact(trial, user, SimpleUploadedFile(name, content))


def _report(client, user, study):
    client.force_login(user)
    return client.get(f"/studies/{study.pk}/report.html").content.decode()


def _top(html):
    return re.search(r'<section class="card" id="top-trials">.*?</section>', html, re.S).group(0)


def _rows(html):
    """The top table's rows as lists of cell texts."""
    return [[unescape(re.sub(r"<[^>]+>", " ", cell)).split() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
            for row in re.findall(r"<tr[^>]*>\s*<td.*?</tr>", _top(html), re.S)]


def _files(html):
    """The files listed under the top table: {"#4": ["loss.png", "48", "bytes", "·", "image/png", ...]}."""
    listed = re.search(r'<dl class="params" id="top-files">(.*?)</dl>', html, re.S)
    if listed is None:
        return {}
    return {unescape(number): unescape(re.sub(r"<[^>]+>", " ", files)).split()
            for number, files in re.findall(r"<dt>(.*?)</dt>\s*<dd>(.*?)</dd>", listed.group(1), re.S)}


def _report_data(html):
    return json.loads(unescape(re.search(r'<script id="report-data" type="application/json">(.*?)</script>',
                                         html, re.S).group(1)))


def test_the_best_trials_have_a_column_per_metric_and_attr(client, people, measured):
    html = _report(client, people["viewer"], measured)

    header = re.search(r"<thead>(.*?)</thead>", _top(html), re.S).group(1)
    assert "<th>recall<small>metric</small></th>" in header and "<th>commit<small>attribute</small></th>" in header
    assert _rows(html)[1][-2:] == [["0.4"], ["c4"]]  # trial 4: its recall, then its commit


def test_an_infeasible_trial_is_marked_and_the_best_value_is_the_best_feasible_one(client, people, measured):
    html = _report(client, people["viewer"], measured)

    first = _rows(html)[0]
    assert first[0] == ["#5", "infeasible"] and _rows(html)[1][0] == ["#4"]
    assert 'title="Broke a constraint (each must be 0 or less): constraint 2 is 0.25"' in _top(html)
    assert "The best value above is the best trial that meets every constraint" in _top(html)
    best = re.search(r'<div class="card stat" id="best">.*?</dl>', html, re.S).group(0)
    assert "trial #4, the best of the trials that meet every constraint" in best


def test_a_study_without_constraints_says_nothing_of_them(client, people, study):
    html = _report(client, people["viewer"], study)

    assert "constraint" not in _top(html) and "infeasible" not in _top(html)
    assert "meet every constraint" not in html


def test_the_history_points_mark_the_infeasible_trial(client, people, measured):
    points = _report_data(_report(client, people["viewer"], measured))["points"]

    assert [point["n"] for point in points if point.get("f") is False] == [5]


@pytest.mark.parametrize("role", ["owner", "editor", "viewer"])
def test_members_see_the_top_trials_files_listed_by_name_size_and_type(client, people, measured, role):
    _attach(measured, people["owner"], 4)
    _attach(measured, people["owner"], 4, "log.txt", b"epoch 1\n")

    files = _files(_report(client, people[role], measured))

    assert files == {"#4": ["loss.png", "48", "bytes", "·", "image/png", "log.txt", "8", "bytes", "·", "text/plain"]}


def test_the_files_are_listed_not_embedded(client, people, measured):
    found = _attach(measured, people["owner"], 4)

    html = _report(client, people["viewer"], measured)

    assert "<img" not in html and f"/api/artifacts/{found.pk}/" not in html and f"files/{found.pk}/" not in html


def test_a_share_link_report_lists_no_files_unless_the_link_shows_them(client, people, measured):
    _attach(measured, people["owner"], 4)
    _, hidden = share_links.create_share_link(measured.pk, people["owner"])
    _, shown = share_links.create_share_link(measured.pk, people["owner"], show_files=True)

    without = client.get(f"/share/{hidden}/report.html").content.decode()
    with_files = client.get(f"/share/{shown}/report.html").content.decode()

    assert "loss.png" not in without and "<h3>Files</h3>" not in without
    assert _files(with_files) == {"#4": ["loss.png", "48", "bytes", "·", "image/png"]}


@pytest.fixture
def multi(people):
    """Two objectives, both minimised: trials 0, 1 and 3 are the front (3 broke its constraint), 2 and 4 are dominated."""
    study = make_study(people["owner"], directions=["minimize", "minimize"], name="two objectives")
    values = [(1.0, 5.0), (2.0, 2.0), (3.0, 3.0), (4.0, 1.0), (5.0, 5.0)]
    for trial, pair in zip(add_trials(study, [("complete", None, {"x": i / 10, "y": 0.5}) for i in range(5)]), values):
        Trial.objects.filter(pk=trial.pk).update(values=list(pair), constraints=[1.0 if trial.number == 3 else -1.0],
                                                 feasible=trial.number != 3, metrics={"size_mb": 10.0 + trial.number})
    Study.objects.filter(pk=study.pk).update(metric_names=["size_mb"])
    study.refresh_from_db()
    return study


def _visitor(user, study):
    return access.visitor(user, read.with_summary(Study.objects.filter(pk=study.pk).select_related("owner")).get())


def test_several_objectives_get_the_rank_and_hypervolume_figures_the_page_builds(client, people, multi):
    data = _report_data(_report(client, people["owner"], multi))

    visitor = _visitor(people["owner"], multi)
    assert data["figures"]["rank"] == charts.chart(visitor, "rank", {})
    assert data["figures"]["hypervolume"] == charts.chart(visitor, "hypervolume", {})
    assert data["figures"]["hypervolume"]["traces"][0]["x"] == [0, 1, 2, 3, 4]


def test_several_objectives_draw_the_rank_and_hypervolume_charts(client, people, multi):
    html = _report(client, people["owner"], multi)

    assert "<h2>Hypervolume</h2>" in html and 'id="chart-hypervolume"' in html
    assert "<h2>Rank</h2>" in html and 'id="chart-rank"' in html


def test_several_objectives_list_the_pareto_front_best_first_with_infeasible_marked(client, people, multi):
    html = _report(client, people["owner"], multi)

    assert "The best trade-offs: the 3 trials on the Pareto front" in _top(html)
    assert [row[0] for row in _rows(html)] == [["#0"], ["#1"], ["#3", "infeasible"]]
    assert [row[1:3] for row in _rows(html)] == [[["1"], ["5"]], [["2"], ["2"]], [["4"], ["1"]]]
    assert _rows(html)[2][-1] == ["13"]  # its size_mb metric


def test_each_report_chart_has_the_page_s_title_and_caption(client, people, multi):
    html = _report(client, people["owner"], multi)

    words = charts.words(multi)
    for name in ("pareto", "hypervolume", "rank", "slices"):
        assert f'<h2>{words[name]["title"]}</h2><p class="caption">{words[name]["caption"]}</p>' in unescape(html)
    assert "the Pareto rank" in words["rank"]["caption"]
