"""No read writes: every page and every read endpoint, opened by a member or through a share link,
stores no row and sends no job — even when there is something to repair (the reconciler does that)."""

from datetime import timedelta
from urllib.parse import urlencode

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import get_resolver
from django.utils import timezone

from studies.models import Artifact, Baseline, Dataset, Explanation, ModelExport, Prediction, ShareLink, Trial
from studies.services import notes, share_links
from tests.api_keys import api_key_for
from tests.roles import IRIS, add_trials, make_study, people  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db
CHARTS = ["parallel", "slices", "contour", "curves", "edf", "timeline", "pareto", "importance", "metric", "rank",
          "hypervolume"]
WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")
WHAT_IF = urlencode({"params": '{"C": 1.0}'})


@pytest.fixture
def world(people, settings, tmp_path):
    """A study with trials (one excluded), a note, a member, a share link, a dataset, a ready model export,
    explanation and prediction, and a queued one of each (and a queued baseline) whose message is
    old enough for the reconciler to send it again."""
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "datasets").mkdir()
    (tmp_path / "datasets" / "d.csv").write_text("a,b\n1,x\n2,y\n3,x\n4,y\n5,x\n6,y\n")
    study = make_study(people["owner"], space={"C": {"type": "float", "low": 0.01, "high": 100, "log": True}},
                       directions=["maximize"], objective=IRIS, state="running", started_at=timezone.now())
    trials = add_trials(study, [("complete", 0.9 + i / 100, {"C": 0.1 * (i + 1)}) for i in range(6)]
                        + [("running", None, {"C": 3.0})])
    notes.save_note(study.pk, 2, "a trial note", people["owner"])
    Trial.objects.filter(pk=trials[1].pk).update(excluded_at=timezone.now(), exclusion_reason="a leak")
    _, token = share_links.create_share_link(study.pk, people["owner"], show_files=True)
    artifact = Artifact.objects.create(trial=trials[2], name="log.txt", size=4, content_type="text/plain",
                                       file=ContentFile(b"log\n", name="log.txt"))
    dataset = Dataset.objects.create(owner=people["owner"], name="d.csv", file="datasets/d.csv", n_rows=1,
                                     columns=[{"name": "a"}, {"name": "b"}], suggested_target="b")
    old = timezone.now() - timedelta(seconds=settings.TUNER_RESEND_AFTER_S + 60)
    ModelExport.objects.create(study=study, trial=trials[4], state="ready", text="import joblib\n",
                               file=ContentFile(b"model", name="m.joblib"), finished_at=timezone.now())
    ModelExport.objects.create(study=study, trial=trials[5], sent_at=old)
    Baseline.objects.create(**Baseline.key_of(IRIS), objective=IRIS, sent_at=old)
    Explanation.objects.create(study=study, trial=trials[4], sent_at=old)
    Explanation.objects.create(study=study, trial=trials[5], state="ready", finished_at=timezone.now(), result={
        "columns": [{"name": "a", "importance": 0.1, "importance_std": 0.01}], "partial_dependence": [],
        "confusion_matrix": {"labels": [0, 1], "counts": [[3, 1], [0, 2]], "caption": "right 5 of 6"}})
    prediction = Prediction.objects.create(
        study=study, trial=trials[5], owner=people["owner"], name="new.csv", state="ready", rows=1, n_rows=1,
        input=ContentFile(b"a\n1\n", name="new.csv"), output=ContentFile(b"a,prediction\n1,x\n", name="out.csv"))
    Prediction.objects.create(study=study, trial=trials[5], owner=people["owner"], name="next.csv", sent_at=old,
                              input=ContentFile(b"a\n2\n", name="next.csv"))
    return {"study": study, "trial": trials[2], "token": token, "artifact": artifact, "dataset": dataset, "prediction": prediction,
            "link": ShareLink.objects.get(study=study)}


def _member_paths(world):
    s, t = world["study"].pk, world["trial"]
    pages = ["/", "/studies/new/", f"/studies/new/?from={s}", f"/studies/{s}/", f"/studies/{s}/trials/{t.number}/",
             f"/studies/{s}/live.json?since=0&summary=1", f"/studies/{s}/trials.json?sort=params.C&dir=desc",
             f"/studies/{s}/export.csv", f"/studies/{s}/export.json", f"/studies/{s}/report.html",
             f"/compare/?ids={s}", f"/studies.json?ids={s}", f"/datasets/{world['dataset'].pk}/task.json?target=b",
             "/accounts/profile/", "/accounts/password/", "/accounts/password/done/", f"/studies/{s}/explain.json",
             f"/studies/{s}/recheck.json", f"/studies/{s}/what-if.json?{WHAT_IF}", f"/studies/{s}/advice.json",
             "/studies/import/", f"/studies/{s}/trials/{t.number}/files/{world['artifact'].pk}/",
             "/client/tuner-client.tar.gz"]
    pages += [f"/studies/{s}/charts/{name}.json?x=C&y=C" for name in CHARTS]
    return pages


def _api_paths(world):
    s, t = world["study"].pk, world["trial"]
    return ["/api/", "/api/studies/", f"/api/studies/{s}/", f"/api/studies/{s}/trials/",
            f"/api/studies/{s}/trials/?since=0", f"/api/trials/{t.pk}/", "/api/datasets/",
            f"/api/datasets/{world['dataset'].pk}/", f"/api/studies/{s}/members/", f"/api/studies/{s}/notes/",
            f"/api/studies/{s}/share-links/", f"/api/studies/{s}/best-model/", f"/api/studies/{s}/best-model.joblib",
            f"/api/studies/{s}/best-model.py", f"/api/studies/{s}/leaderboard/", "/api/tokens/", "/api/schema/",
            "/api/docs/", "/api/invitations/", f"/api/studies/{s}/explain/",
            f"/api/predictions/{world['prediction'].pk}/", f"/api/predictions/{world['prediction'].pk}/predictions.csv",
            f"/api/studies/{s}/advice/", f"/api/studies/{s}/export/optuna/", f"/api/trials/{t.pk}/artifacts/",
            f"/api/artifacts/{world['artifact'].pk}/", f"/api/studies/{s}/recheck/"]


def _link_paths(world):
    base = f"/share/{world['token']}/"
    return [base, base + "live.json?since=0&summary=1", base + "trials.json", base + "report.html", base + "explain.json",
            base + "recheck.json",
            base + f"trials/{world['trial'].number}/", base + f"trials/{world['trial'].number}/files/{world['artifact'].pk}/",
            base + f"what-if.json?{WHAT_IF}", base + "advice.json",
            ] + [base + f"charts/{name}.json" for name in CHARTS]


def _writes_and_messages(get, django_capture_on_commit_callbacks):
    with CaptureQueriesContext(connection) as queries, django_capture_on_commit_callbacks() as jobs:
        response = get()
        b"".join(response.streaming_content) if response.streaming else response.content
    writes = [q["sql"] for q in queries.captured_queries if q["sql"].lstrip().upper().startswith(WRITES)]
    return response.status_code, writes, jobs


def test_every_page_a_member_opens_writes_nothing(client, people, world, django_capture_on_commit_callbacks):
    client.force_login(people["owner"])
    for path in _member_paths(world):
        status, writes, jobs = _writes_and_messages(lambda: client.get(path), django_capture_on_commit_callbacks)
        assert (path, status, writes, jobs) == (path, 200, [], [])


def test_every_api_read_writes_nothing(client, people, world, django_capture_on_commit_callbacks):
    headers = {"HTTP_AUTHORIZATION": f"Token {api_key_for(people['owner'])}"}
    for path in _api_paths(world):
        status, writes, jobs = _writes_and_messages(lambda: client.get(path, **headers),
                                                    django_capture_on_commit_callbacks)
        assert (path, status, writes, jobs) == (path, 200, [], [])


def test_every_page_a_share_link_opens_writes_nothing(client, world, django_capture_on_commit_callbacks):
    for path in _link_paths(world):
        status, writes, jobs = _writes_and_messages(lambda: client.get(path), django_capture_on_commit_callbacks)
        assert (path, status, writes, jobs) == (path, 200, [], [])


def test_every_readable_route_is_covered_here(world):
    covered = {_name(path) for path in _member_paths(world) + _api_paths(world) + _link_paths(world)}
    not_reads = {"login", "logout", "dashboard:validate", "dashboard:demo", "dashboard:template",
                 "accounts:create-token", "accounts:revoke-token", "study-ask", "study-pause", "study-resume",
                 "study-start", "study-stop", "trial-heartbeat", "trial-report", "trial-tell", "study-member",
                 "share-link", "api-token-detail", "invitation", "dashboard:leave", "dashboard:accept-invitation",
                 "dashboard:decline-invitation", "study-predictions", "trial-exclude", "trial-include",
                 # A POST that stores nothing: tests/api/test_what_if.py checks it.
                 "study-predict", "study-import-optuna", "study-trials-import", "study-narrow", "study-retune", "study-run-more", "study-budget",
                 # A redirect to the study list: tests/dashboard/test_not_found.py.
                 "dashboard:studies-redirect"}

    routes = {name for name in _route_names() if not name.startswith("admin:")}

    assert routes - covered - not_reads == set()


def _name(path):
    return get_resolver().resolve(path.split("?")[0]).view_name


def _route_names(patterns=None, namespace=None):
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if hasattr(pattern, "url_patterns"):
            yield from _route_names(pattern.url_patterns, pattern.namespace or namespace)
        elif pattern.name:
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name
