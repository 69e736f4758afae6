"""A throwaway PostgreSQL cluster of one scenario's own, which its tests really stop and restart.

The shared cluster on 127.0.0.1:5432 serves every other scenario (and other work on the
machine) and must never go down, so the restart scenario initdb's its own: trust auth,
listening on 127.0.0.1 on a free port, its Unix socket in its own directory, fsync off (it
holds nothing worth keeping). PostgreSQL refuses to run as root, so when the suite runs as
root (as it does in CI) the cluster's programs run as the ``postgres`` user.

Example:
    >>> cluster = PrivateCluster.create()        # doctest: +SKIP
    >>> cluster.stop(); cluster.start()          # a real outage, then recovery
    >>> cluster.destroy()
"""

import os
import pwd
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from .harness import free_port

# pg_ctl finds initdb's and postgres's siblings itself; these are where to look for it.
_PG_BIN_GLOB = "/usr/lib/postgresql/*/bin"
_RUN_AS = "postgres"
_TIMEOUT_S = 60
_SETTINGS = """
listen_addresses = '127.0.0.1'
port = {port}
unix_socket_directories = '{socket_dir}'
# A scratch cluster: losing it in a crash costs nothing, and durability costs seconds.
fsync = off
synchronous_commit = off
full_page_writes = off
"""


class ClusterUnavailable(RuntimeError):
    """The machine cannot run a private cluster (missing binaries or user), or it failed to start."""


def _bin_dir():
    """The directory that holds initdb, pg_ctl and postgres, or ClusterUnavailable."""
    candidates = []
    if os.environ.get("TUNER_TEST_PG_BIN"):
        candidates.append(Path(os.environ["TUNER_TEST_PG_BIN"]))
    on_path = shutil.which("pg_ctl")
    if on_path:
        candidates.append(Path(on_path).resolve().parent)  # /usr/local/bin/pg_ctl is a symlink
    candidates += sorted(Path("/").glob(_PG_BIN_GLOB.lstrip("/")), reverse=True)
    for directory in candidates:
        if all((directory / name).is_file() for name in ("initdb", "pg_ctl", "postgres")):
            return directory
    raise ClusterUnavailable(
        f"the PostgreSQL server binaries (initdb, pg_ctl, postgres) were not found in $TUNER_TEST_PG_BIN, "
        f"on PATH or in {_PG_BIN_GLOB}; install the postgresql package (scenario 10 restarts a private cluster)"
    )


def _owner():
    """(uid, gid) to run the cluster as: the `postgres` user when we are root, else ourselves."""
    if os.geteuid() != 0:
        return None
    try:
        user = pwd.getpwnam(_RUN_AS)
    except KeyError:
        raise ClusterUnavailable(
            f"running as root and there is no {_RUN_AS!r} user, and PostgreSQL refuses to run as root; "
            f"install the postgresql package, which creates it"
        ) from None
    return user.pw_uid, user.pw_gid


class PrivateCluster:
    """One initdb'd cluster in a temporary directory. Build it with `create()`; `destroy()` it after."""

    def __init__(self, bin_dir, owner, directory, port):
        self.bin_dir, self.owner, self.directory, self.port = bin_dir, owner, Path(directory), port
        self.data = self.directory / "data"
        self.log_path = self.directory / "server.log"

    @classmethod
    def create(cls):
        """initdb a cluster and start it. Raises ClusterUnavailable with the reason if it cannot."""
        bin_dir, owner = _bin_dir(), _owner()
        # Under /tmp, not pytest's temp dirs: those are private to root, and a short path keeps
        # the socket's path under the 107-byte limit.
        directory = tempfile.mkdtemp(prefix="tuner-pg-", dir="/tmp")
        if owner:
            os.chown(directory, *owner)
        cluster = cls(bin_dir, owner, directory, free_port())
        try:
            cluster._run("initdb", "-D", str(cluster.data), "-U", "postgres", "--auth=trust", "--encoding=UTF8",
                         "--locale=C", "--no-sync", "--no-instructions")
            with open(cluster.data / "postgresql.conf", "a") as conf:
                conf.write(_SETTINGS.format(port=cluster.port, socket_dir=cluster.directory))
            cluster.start()
        except BaseException:
            cluster.destroy()
            raise
        return cluster

    @property
    def admin_url(self):
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def start(self):
        """Start the server and wait until it accepts connections."""
        self._pg_ctl("start", "-l", str(self.log_path))

    def stop(self):
        """Stop the server as an operator's restart does (fast: cut every connection, no waiting)."""
        self._pg_ctl("stop", "-m", "fast")

    def restart(self):
        self.stop()
        self.start()

    def running(self):
        return self._pg_ctl("status", check=False).returncode == 0

    def destroy(self):
        """Stop the server, however it is, and delete the cluster's files."""
        if (self.data / "postmaster.pid").exists():
            if self._pg_ctl("stop", "-m", "immediate", check=False).returncode:
                self._kill_postmaster()
        shutil.rmtree(self.directory, ignore_errors=True)

    def _kill_postmaster(self):
        try:
            pid = int((self.data / "postmaster.pid").read_text().split()[0])
            os.kill(pid, signal.SIGKILL)  # its backends exit when their postmaster is gone
        except (OSError, ValueError, IndexError):
            pass

    def _pg_ctl(self, action, *args, check=True):
        return self._run("pg_ctl", action, "-D", str(self.data), "-w", "-t", str(_TIMEOUT_S), *args, check=check)

    def _run(self, program, *args, check=True):
        uid, gid = self.owner or (None, None)
        done = subprocess.run(
            [str(self.bin_dir / program), *args], cwd=self.directory, capture_output=True, text=True,
            env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LC_ALL": "C"}, timeout=_TIMEOUT_S + 10,
            user=uid, group=gid, extra_groups=[] if self.owner else None,
        )
        if check and done.returncode:
            log = self.log_path.read_text(errors="replace")[-2000:] if self.log_path.exists() else ""
            raise ClusterUnavailable(f"{program} {' '.join(args)} failed ({done.returncode}):\n"
                                     f"{done.stdout}{done.stderr}\n{log}")
        return done
