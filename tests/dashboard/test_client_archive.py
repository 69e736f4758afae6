"""The client's source archive, served for `pip install <server>/client/tuner-client.tar.gz` on a
training machine without a Tuner checkout."""

import io
import subprocess
import sys
import tarfile
import zipfile

URL = "/client/tuner-client.tar.gz"


def _names(body):
    return tarfile.open(fileobj=io.BytesIO(body)).getnames()


def test_the_archive_is_served_without_a_sign_in(client):
    response = client.get(URL)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/gzip"
    assert 'filename="tuner-client.tar.gz"' in response["Content-Disposition"]


def test_the_archive_holds_the_client_package_and_its_build_file_under_one_folder(client):
    names = _names(client.get(URL).content)

    assert {"tuner-client/pyproject.toml", "tuner-client/README.md", "tuner-client/tuner_client/agent.py",
            "tuner-client/tuner_client/study.py"} <= set(names)
    assert all(name.startswith("tuner-client/") for name in names)
    assert not any("egg-info" in name or "__pycache__" in name for name in names)


def test_the_same_source_gives_the_same_bytes(client):
    from dashboard import client_package

    assert client.get(URL).content == client_package.archive.__wrapped__()


def test_the_archive_is_read_only(client):
    assert client.post(URL).status_code == 405


def test_pip_builds_the_archive_into_a_wheel_with_the_agent_command(client, tmp_path):
    archive = tmp_path / "tuner-client.tar.gz"
    archive.write_bytes(client.get(URL).content)

    # The venv's own setuptools builds it: no package index is needed.
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                    "-w", str(tmp_path), str(archive)], check=True, timeout=120)

    wheel = next(tmp_path.glob("tuner_client-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    assert "tuner_client/agent.py" in names
    assert "tuner-agent = tuner_client.agent:main" in zipfile.ZipFile(wheel).read(entry_points).decode()
