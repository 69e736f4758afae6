"""Per-user limits on studies, datasets, API tokens and share links answer 429 naming the limit; nothing is stored."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import ApiToken
from studies.models import Dataset, ShareLink, Study

from .helpers import create, external_spec

pytestmark = pytest.mark.django_db

CSV = b"a,b,target\n" + b"".join(b"%d,%d,%d\n" % (i, i * 2, i % 2) for i in range(20))


def _upload(api):
    return api.post("/api/datasets/", {"file": SimpleUploadedFile("d.csv", CSV, "text/csv")}, format="multipart")


def test_a_study_past_the_per_user_limit_answers_429_naming_the_limit(api, settings):
    settings.TUNER_MAX_STUDIES_PER_USER = 2
    create(api), create(api)

    response = api.post("/api/studies/", external_spec(), format="json")

    assert response.status_code == 429
    assert "2 studies" in response.data["detail"]
    assert Study.objects.count() == 2


def test_other_users_studies_do_not_count(api, outsider_api, settings):
    settings.TUNER_MAX_STUDIES_PER_USER = 1
    create(outsider_api)

    response = api.post("/api/studies/", external_spec(), format="json")

    assert response.status_code == 201


def test_a_dataset_past_the_per_user_limit_answers_429_and_stores_no_file(api, settings, tmp_path):
    settings.TUNER_MAX_DATASETS_PER_USER = 1
    settings.MEDIA_ROOT = tmp_path
    _upload(api)

    response = _upload(api)

    assert response.status_code == 429
    assert "1 dataset" in response.data["detail"]
    assert Dataset.objects.count() == 1 and len([p for p in tmp_path.rglob("*") if p.is_file()]) == 1


def test_a_token_past_the_per_user_limit_answers_429_naming_the_limit(api, owner, settings):
    settings.TUNER_MAX_API_TOKENS_PER_USER = ApiToken.objects.filter(user=owner).count()  # the fixture's token

    response = api.post("/api/tokens/", {"name": "one more"}, format="json")

    assert response.status_code == 429
    assert "tokens" in response.data["detail"] and str(settings.TUNER_MAX_API_TOKENS_PER_USER) in response.data["detail"]


def test_revoked_tokens_do_not_count_against_the_limit(api, owner, settings):
    from accounts import tokens

    settings.TUNER_MAX_API_TOKENS_PER_USER = ApiToken.objects.filter(user=owner).count() + 1
    extra, _ = tokens.create_token(owner, "old laptop")
    tokens.revoke_token(owner, extra.pk)

    response = api.post("/api/tokens/", {"name": "new laptop"}, format="json")

    assert response.status_code == 201


def _share(api, study_id):
    return api.post(f"/api/studies/{study_id}/share-links/", {}, format="json")


def test_a_share_link_past_the_per_user_limit_answers_429_naming_the_limit(api, settings):
    settings.TUNER_MAX_SHARE_LINKS_PER_USER = 2
    first, second = create(api), create(api)
    _share(api, first), _share(api, second)

    response = _share(api, first)

    assert response.status_code == 429
    assert "2 live share links" in response.data["detail"]
    assert ShareLink.objects.count() == 2


def test_a_revoked_share_link_does_not_count_toward_the_limit(api, settings):
    settings.TUNER_MAX_SHARE_LINKS_PER_USER = 1
    study_id = create(api)
    api.delete(f"/api/share-links/{_share(api, study_id).data['id']}/")

    response = _share(api, study_id)

    assert response.status_code == 201
