"""The client (tuner_client and tuner-agent) as a source archive pip installs from this server:
`pip install <server>/client/tuner-client.tar.gz` on a training machine that has no Tuner
checkout. The archive holds the repository's client/ as it is (pyproject.toml, README, the
package), so it always matches the server that serves it; pip builds it with the project's own
build backend. Built once per process, in memory: it is about 30 KB."""

import functools
import gzip
import io
import tarfile
from pathlib import Path

from django.conf import settings

CLIENT_DIR = Path(settings.BASE_DIR) / "client"
TOP = "tuner-client"  # the archive's one top folder, as in any source archive
FILENAME = f"{TOP}.tar.gz"


def _included(path):
    relative = path.relative_to(CLIENT_DIR)
    if relative.parts[0].endswith(".egg-info") or "__pycache__" in relative.parts:
        return False  # built here by a local install, not part of the source
    return path.is_file() and (relative.parts[0] == "tuner_client" or len(relative.parts) == 1)


@functools.cache
def archive():
    """The gzipped tar of the client's source, with fixed times and modes so that the same
    source always gives the same bytes, whichever web process of a deployment serves it (tarfile
    writes the gzip header's time itself, hence the GzipFile around it)."""
    buffer = io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, mode="wb", mtime=0) as packed, tarfile.open(fileobj=packed, mode="w") as tar:
        for path in sorted(p for p in CLIENT_DIR.rglob("*") if _included(p)):
            info = tarfile.TarInfo(f"{TOP}/{path.relative_to(CLIENT_DIR).as_posix()}")
            data = path.read_bytes()
            info.size, info.mode, info.mtime = len(data), 0o644, 0
            tar.addfile(info, io.BytesIO(data))
    return buffer.getvalue()
