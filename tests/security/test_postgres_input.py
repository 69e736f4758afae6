"""On PostgreSQL, input it refuses (NUL, integers wider than a column, deep nesting) answers 400, not 500.

These run against a real gunicorn on a throw-away PostgreSQL database, since SQLite takes
what PostgreSQL refuses and would hide the fault.
"""

import http.cookiejar
import json
import urllib.error
import urllib.parse
import urllib.request

import pytest

from tests import live_servers

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with live_servers.running_server(tmp_path_factory.mktemp("pg-input")) as server:
        yield server


def _call(server, method, path, body=None, token=True):
    data = body.encode() if isinstance(body, str) else None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(f"{server.url}{path}", data=data, method=method)
    request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Token {server.token}")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        raw = error.read()
        return error.code, json.loads(raw) if raw.startswith(b"{") else raw.decode(errors="replace")


def _external_study(server, **overrides):
    spec = {"name": "pg", "objective": {"kind": "external"}, "budget": {"n_trials": 5},
            "search_space": {"x": {"type": "float", "low": 0, "high": 1}}, **overrides}
    status, body = _call(server, "POST", "/api/studies/", spec)
    assert status == 201, body
    return body["id"]


def _logged_in(server):
    """An opener holding a session of the server's user, logged in through the login form."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    opener.open(f"{server.url}/accounts/login/", timeout=30).read()
    csrf = next(cookie.value for cookie in jar if cookie.name == "csrftoken")
    form = urllib.parse.urlencode({"username": "load", "password": "x-Pass-123", "csrfmiddlewaretoken": csrf})
    opener.open(urllib.request.Request(f"{server.url}/accounts/login/", data=form.encode(), method="POST",
                                       headers={"Referer": f"{server.url}/accounts/login/"}), timeout=30).read()
    return opener


def test_a_nul_in_a_study_name_answers_400_on_postgresql(server):
    raw = ('{"name": "a\\u0000b", "objective": {"kind": "external"}, '
           '"search_space": {"x": {"type": "float", "low": 0, "high": 1}}}')

    status, body = _call(server, "POST", "/api/studies/", raw)

    assert status == 400
    assert "NUL" in body["name"][0]


def test_a_nul_in_a_choice_answers_400_on_postgresql(server):
    raw = ('{"name": "s", "objective": {"kind": "external"}, '
           '"search_space": {"c": {"type": "categorical", "choices": ["\\u0000"]}}}')

    status, body = _call(server, "POST", "/api/studies/", raw)

    assert status == 400
    assert "search_space.c.choices[0]" in body


def test_a_nul_in_the_study_search_answers_400_on_postgresql(server):
    opener = _logged_in(server)

    with pytest.raises(urllib.error.HTTPError) as refused:
        opener.open(f"{server.url}/?q=a%00b", timeout=30)

    assert refused.value.code == 400
    assert "q" in json.loads(refused.value.read())


def test_a_report_step_past_a_postgresql_integer_answers_400(server):
    study_id = _external_study(server)
    status, trial = _call(server, "POST", f"/api/studies/{study_id}/ask/")
    assert status == 201, trial

    status, body = _call(server, "POST", f"/api/trials/{trial['id']}/report/", {"step": 2**31, "value": 1.0})

    assert status == 400
    assert "step" in body


def test_a_nested_body_5000_deep_answers_400_on_postgresql(server):
    status, body = _call(server, "POST", "/api/studies/", '{"name": ' + "[" * 5000 + "]" * 5000 + "}")

    assert status == 400
    assert "deeper" in body["detail"]


def test_metrics_and_attrs_sort_filter_and_plot_on_postgresql(server):
    study_id = _external_study(server)
    for recall in (0.3, 0.9, 0.6):
        status, trial = _call(server, "POST", f"/api/studies/{study_id}/ask/", {"attrs": {"it's": f"r{recall}"}})
        assert status == 201, trial
        status, body = _call(server, "POST", f"/api/trials/{trial['id']}/tell/",
                             {"value": recall, "metrics": {"re.call": recall, "a__b": 1}})
        assert status == 200, body
    opener = _logged_in(server)

    def table(**query):
        path = f"{server.url}/studies/{study_id}/trials.json?{urllib.parse.urlencode(query)}"
        return [row["number"] for row in json.loads(opener.open(path, timeout=30).read())["rows"]]

    chart = json.loads(opener.open(f"{server.url}/studies/{study_id}/charts/metric.json?metric=re.call",
                                   timeout=30).read())
    assert table(sort="metrics.re.call", dir="desc") == [1, 2, 0]
    assert table(sort="attrs.it's") == [0, 2, 1]
    assert table(**{"min_metrics.re.call": "0.5"}) == [1, 2]
    assert table(**{"attrs.it's": "R0.9"}) == [1]
    assert chart["traces"][0]["x"] == [0.3, 0.9, 0.6]


def test_table_choice_filters_match_as_json_on_postgresql(server):
    space = {"kernel": {"type": "categorical", "choices": ["rbf", "linear", "1"]},
             "shrink": {"type": "categorical", "choices": [True, False, 2]}}
    study_id = _external_study(server, search_space=space, budget={"n_trials": 12})
    for _ in range(12):
        status, trial = _call(server, "POST", f"/api/studies/{study_id}/ask/", {})
        assert status == 201, trial
        assert _call(server, "POST", f"/api/trials/{trial['id']}/tell/", {"value": 0.5})[0] == 200
    opener = _logged_in(server)

    def table(query):
        path = f"{server.url}/studies/{study_id}/trials.json?{urllib.parse.urlencode(query, doseq=True)}&page_size=50"
        return json.loads(opener.open(path, timeout=30).read())["rows"]

    every = table({})

    def numbers(keep):
        return [row["number"] for row in every if keep(row["params"])]

    assert [r["number"] for r in table({"params.kernel": ["rbf", '"1"']})] == numbers(
        lambda p: p["kernel"] in ("rbf", "1"))
    assert [r["number"] for r in table({"params.shrink": "true"})] == numbers(lambda p: p["shrink"] is True)
    assert [r["number"] for r in table({"params.shrink": ["2", "false"]})] == numbers(lambda p: p["shrink"] in (2, False))
