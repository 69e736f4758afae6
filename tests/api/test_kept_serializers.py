"""The ask's and the tell's serializers are kept per thread (studies/api/kept_serializers.py):
each answer still shows its own trial, and bad input is worded as a fresh serializer words it."""

import pytest

from .helpers import ask, create, tell

pytestmark = pytest.mark.django_db


def test_a_tells_answer_shows_the_trial_as_its_page_does(api):
    trial = ask(api, create(api))

    told = tell(api, trial["id"], value=1.5, attrs={"commit": "abc"}).json()

    page = api.get(f"/api/trials/{trial['id']}/").json()
    page.pop("intermediate")
    assert told == page


def test_each_answer_shows_its_own_trial(api):
    study_id = create(api)
    first, second = ask(api, study_id), ask(api, study_id)

    answers = [tell(api, first["id"], value=1.0).json(), tell(api, second["id"], value=2.0, ask_next=True).json()]

    assert [(a["id"], a["value"]) for a in answers] == [(first["id"], 1.0), (second["id"], 2.0)]
    assert answers[1]["next_trial"]["number"] == 2


@pytest.mark.parametrize("body,errors", [
    ("null", {"non_field_errors": ["No data provided"]}),
    ("[1]", {"non_field_errors": ["Invalid data. Expected a dictionary, but got list."]}),
    ('{"state": "odd", "ask_next": 3}', {"state": ['"odd" is not a valid choice.'],
                                         "ask_next": ['ask_next must be true, false or the ask\'s body such as '
                                                      '{"attrs": {...}}, got 3']}),
])
def test_bad_input_is_worded_as_before(api, body, errors):
    trial = ask(api, create(api))

    response = api.post(f"/api/trials/{trial['id']}/tell/", body, content_type="application/json")

    assert (response.status_code, response.json()) == (400, errors)
