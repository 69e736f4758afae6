"""The client's attrs= and metrics= on report and tell, against the real server."""

import math

import pytest
import tuner_client

from studies.models import Trial

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def trial(server, token, make_study):
    return tuner_client.Study(server, study_id=make_study(), token=token).ask()


def test_report_and_tell_send_attrs_and_metrics_which_the_server_merges(trial):
    trial.report(0, 0.5, attrs={"commit": "3f2a1c9", "host": "gpu1"}, metrics={"epoch_time_s": 12.5})

    stored = trial.tell(0.9, attrs={"commit": "4b0d2e1"}, metrics={"model_mb": 41.5})

    assert stored["attrs"] == {"commit": "4b0d2e1", "host": "gpu1"}
    assert stored["metrics"] == {"epoch_time_s": 12.5, "model_mb": 41.5}
    assert Trial.objects.get(pk=trial.id).metrics == stored["metrics"]


def test_a_nan_metric_is_refused_before_anything_is_sent(trial):
    with pytest.raises(ValueError, match="metric 'recall' must be a finite number"):
        trial.tell(0.9, metrics={"recall": math.nan})

    assert trial.is_open
    assert Trial.objects.get(pk=trial.id).state == "running"


def test_metrics_past_the_cap_raise_bad_request_naming_metrics(trial):
    with pytest.raises(tuner_client.BadRequest, match=r"^metrics: "):
        trial.report(0, 0.5, metrics={f"m{i}": i for i in range(101)})

    assert Trial.objects.get(pk=trial.id).metrics == {}


def test_trials_gives_each_asked_trial_the_attrs(server, token, make_study):
    study = tuner_client.Study(server, study_id=make_study(), token=token)

    ids = [trial.tell(0.5)["id"] for trial in study.trials(n=2, attrs={"commit": "3f2a1c9"})]

    assert [Trial.objects.get(pk=i).attrs for i in ids] == [{"commit": "3f2a1c9"}] * 2


def test_tell_sends_constraints_and_the_server_says_whether_they_hold(trial):
    stored = trial.tell(0.9, constraints=[-0.5, 0.0])

    assert (stored["constraints"], stored["feasible"]) == ([-0.5, 0.0], True)
    assert Trial.objects.get(pk=trial.id).feasible is True


def test_a_nan_constraint_is_refused_before_anything_is_sent(trial):
    with pytest.raises(ValueError, match="constraint 1 must be a finite number"):
        trial.tell(0.9, constraints=[0.0, math.nan])

    assert Trial.objects.get(pk=trial.id).state == "running"
