"""The trial page's Files card: an image inline, a CSV or TSV as a table of its first rows, text
and JSON as their first lines, all as text (hostile HTML shows as characters, never as markup);
the download beside the page checks the visitor's role, and a share link sees files only if
the owner ticked it when making the link."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from studies.models import Trial
from studies.services import artifacts, share_links
from tests.roles import people, study  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40
HOSTILE = "<script>alert('x')</script><img src=x onerror=alert(1)>"


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _attach(study, people, name, content, number=0):
    trial = Trial.objects.get(study=study, number=number)
    return artifacts.attach_artifact(trial, people["owner"], SimpleUploadedFile(name, content))


def _page(client, user, study, number=0):
    client.force_login(user)
    return client.get(f"/studies/{study.pk}/trials/{number}/").content.decode()


def test_an_image_is_shown_inline_from_the_download_beside_the_page(client, study, people):
    found = _attach(study, people, "loss.png", PNG)

    page = _page(client, people["viewer"], study)

    assert f'<img src="files/{found.pk}/" alt="loss.png"' in page


def test_a_csv_shows_its_first_20_rows_as_a_table_of_text(client, study, people):
    rows = "a,b\n" + f'"{HOSTILE}",1\n' + "".join(f"{i},{i}\n" for i in range(50))
    _attach(study, people, "table.csv", rows.encode())

    page = _page(client, people["owner"], study)

    assert "<th>a</th><th>b</th>" in page and "<td>17</td>" in page and "<td>18</td>" not in page
    assert HOSTILE not in page and "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page


def test_a_tsv_is_split_on_tabs(client, study, people):
    _attach(study, people, "table.tsv", b"left\tright\n1\t2\n")

    assert "<th>left</th><th>right</th>" in _page(client, people["owner"], study)


def test_html_in_a_txt_file_is_shown_as_text(client, study, people):
    _attach(study, people, "log.txt", f"{HOSTILE}\n".encode())

    page = _page(client, people["owner"], study)

    assert HOSTILE not in page and "&lt;img src=x onerror=alert(1)&gt;" in page


def test_a_long_log_shows_its_first_200_lines(client, study, people):
    _attach(study, people, "run.log", "".join(f"line {i}\n" for i in range(500)).encode())

    page = _page(client, people["owner"], study)

    assert "line 199" in page and "line 200" not in page


def test_json_shows_as_text(client, study, people):
    _attach(study, people, "info.json", b'{"note": "<b>bold</b>"}')

    page = _page(client, people["owner"], study)

    assert "&lt;b&gt;bold&lt;/b&gt;" in page and "<b>bold</b>" not in page


def test_a_trial_without_files_has_no_files_card(client, study, people):
    assert 'id="files"' not in _page(client, people["owner"], study)


def test_the_download_beside_the_page_is_the_file(client, study, people):
    found = _attach(study, people, "loss.png", PNG)
    client.force_login(people["viewer"])

    response = client.get(f"/studies/{study.pk}/trials/0/files/{found.pk}/")

    assert b"".join(response.streaming_content) == PNG and response["X-Content-Type-Options"] == "nosniff"


def test_a_file_of_another_trial_is_not_found_under_this_one(client, study, people):
    found = _attach(study, people, "loss.png", PNG, number=1)
    client.force_login(people["owner"])

    assert client.get(f"/studies/{study.pk}/trials/0/files/{found.pk}/").status_code == 404


def test_a_stranger_cannot_download(client, study, people):
    found = _attach(study, people, "loss.png", PNG)
    client.force_login(people["stranger"])

    assert client.get(f"/studies/{study.pk}/trials/0/files/{found.pk}/").status_code == 404


def test_a_share_link_shows_no_files_by_default(client, study, people):
    found = _attach(study, people, "loss.png", PNG)
    _, token = share_links.create_share_link(study.pk, people["owner"])

    page = client.get(f"/share/{token}/trials/0/").content.decode()

    assert 'id="files"' not in page and client.get(f"/share/{token}/trials/0/files/{found.pk}/").status_code == 404


def test_a_share_link_ticked_to_show_files_shows_them(client, study, people):
    found = _attach(study, people, "loss.png", PNG)
    _, token = share_links.create_share_link(study.pk, people["owner"], show_files=True)

    page = client.get(f"/share/{token}/trials/0/").content.decode()

    assert f'<img src="files/{found.pk}/"' in page
    assert client.get(f"/share/{token}/trials/0/files/{found.pk}/").status_code == 200


def test_the_share_link_api_takes_the_tick(study, people):
    from tests.roles import api_client

    made = api_client(people["owner"]).post(f"/api/studies/{study.pk}/share-links/", {"show_files": True},
                                            format="json").json()

    assert made["show_files"] is True


def test_past_20_files_the_rest_are_download_links_only(client, study, people):
    for i in range(21):
        _attach(study, people, f"log{i:02}.txt", f"content of {i}\n".encode())

    page = _page(client, people["owner"], study)

    assert "content of 19" in page and "content of 20" not in page and 'download="log20.txt"' in page


def test_a_file_the_store_cannot_give_back_leaves_the_page_open_with_its_link(client, study, people):
    found = _attach(study, people, "log.txt", b"epoch 1\n")
    found.file.storage.delete(found.file.name)  # the disk or bucket lost it, or does not answer

    page = _page(client, people["owner"], study)

    assert f'href="files/{found.pk}/"' in page and "epoch 1" not in page


def test_downloading_a_file_the_store_cannot_give_back_answers_503_in_words(client, study, people):
    found = _attach(study, people, "log.txt", b"epoch 1\n")
    found.file.storage.delete(found.file.name)
    client.force_login(people["owner"])

    response = client.get(f"/studies/{study.pk}/trials/0/files/{found.pk}/")

    assert response.status_code == 503
    assert response.content.decode().startswith("the file store did not give the file back")
