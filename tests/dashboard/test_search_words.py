"""The study page's "How it searches" card names the sampler and the pruner as people would,
says what the sampler does, and leaves out what does not apply to the study."""

import pytest

from tests.dashboard.conftest import make_study

pytestmark = pytest.mark.django_db

BUILT_IN = {"kind": "function", "name": "branin"}


def _page(site, study):
    return site.get(f"/studies/{study.pk}/")


def test_a_sampler_tuner_picked_is_named_by_its_title_and_said_to_be_tuner_s_choice(site, owner):
    study = make_study(owner, sampler={"name": "auto"})

    sampler = _page(site, study).context["header"]["sampler"]

    assert sampler in {"TPE, chosen by Tuner", "Gaussian process, chosen by Tuner", "CMA-ES, chosen by Tuner",
                       "Random search, chosen by Tuner", "NSGA-II, chosen by Tuner"}


def test_a_sampler_the_owner_chose_is_named_by_its_title_with_what_it_does(site, owner):
    study = make_study(owner, sampler={"name": "qmc"})

    response = _page(site, study)

    assert response.context["header"]["sampler"] == "Quasi-random search (Sobol)"
    assert "Spreads trials evenly over the space" in response.context["sampler_reason"]


def test_the_settings_name_the_pruner_in_words_with_the_seed_and_the_trials_at_a_time(site, owner):
    study = make_study(owner, objective=BUILT_IN, pruner={"name": "median"}, parallelism=3)

    settings = _page(site, study).context["search_settings"]

    assert settings == "Median rule: stops poor trials early · random seed 1 · 3 trials at a time"


def test_a_study_without_a_pruner_says_every_trial_runs_to_the_end(site, owner):
    study = make_study(owner, objective=BUILT_IN, pruner=None, parallelism=1)

    settings = _page(site, study).context["search_settings"]

    assert settings == "every trial runs to the end · random seed 1 · 1 trial at a time"


def test_a_study_of_your_own_code_names_no_trials_at_a_time_nor_ask_tell(site, owner):
    study = make_study(owner, objective={"kind": "external"}, pruner={"name": "asha"})

    page = _page(site, study)

    assert page.context["search_settings"] == "ASHA (successive halving): stops poor trials early · random seed 1"
    assert "ask/tell" not in page.content.decode()
