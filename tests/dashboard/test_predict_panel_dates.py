"""The Predict panel of a study whose model learned dates says how to write them in a new file."""

import pytest

from tests.services.test_date_columns import _study, _uploaded

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_the_predict_panel_says_how_to_write_the_dates(owner, client):
    study = _study(owner, _uploaded(owner))
    client.force_login(owner)

    page = client.get(f"/studies/{study.pk}/").content.decode()

    assert ("Write the dates in <code>sold_on</code> like 2024-03-31 or 31.03.2024, a time such as 09:30 after them "
            "if you like.") in page
