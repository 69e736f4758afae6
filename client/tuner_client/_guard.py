"""Run a command, and stop it with what it started if the agent dies.

``python _guard.py AGENT_PID GRACE_S PROGRAM [ARG ...]``, started by the agent as the leader of
a process group of its own (``_process.Command``, Linux only). The guard asks the kernel for
SIGTERM when its parent dies (``PR_SET_PDEATHSIG``), so an agent killed with SIGKILL, by the
out-of-memory killer or with its machine's session, does not leave a training run holding a GPU
for hours: the guard then stops its whole group, SIGTERM first and SIGKILL after ``GRACE_S``.
While the agent lives, the guard only waits, and exits as the command did (its code, or the
same signal), so the agent reads the command's own outcome.

Run by path with ``-S``, not as a module of the package: it needs only the standard library,
and each trial's start should not pay for importing the client.
"""

import ctypes
import os
import signal
import subprocess
import sys
import time

PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def main(argv):
    agent_pid, grace_s, command = int(argv[0]), float(argv[1]), argv[2:]
    signal.signal(signal.SIGTERM, lambda signum, frame: _on_term(agent_pid, grace_s))
    if ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM) != 0:
        sys.stderr.write(f"tuner-agent: cannot ask to be stopped with the agent: errno {ctypes.get_errno()}\n")
    if os.getppid() != agent_pid:
        return 1  # the agent died before the kernel could be asked to tell us
    try:
        process = subprocess.Popen(command)
    except OSError as exc:
        sys.stderr.write(f"tuner-agent: cannot run {command[0]!r}: {exc}\n")
        return 127
    code = process.wait()
    if code < 0:  # die of the command's signal, so that the agent reads the same outcome
        signal.signal(-code, signal.SIG_DFL)
        os.kill(os.getpid(), -code)
    return code


def _on_term(agent_pid, grace_s):
    """SIGTERM: from the agent stopping its group (which stops the command too, so wait for it),
    or from the kernel because the agent died, when the group is ours to stop."""
    if os.getppid() == agent_pid:
        return
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    os.killpg(0, signal.SIGTERM)
    deadline = time.monotonic() + grace_s
    while time.monotonic() < deadline and _others_in_group():
        time.sleep(0.1)
    os.killpg(0, signal.SIGKILL)  # the guard too: nobody is left to read its code


def _others_in_group():
    """Whether a process of this group other than the guard is still running (zombies aside)."""
    me, group = os.getpid(), os.getpgid(0)
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or int(entry) == me:
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == group and fields[0] != "Z":
            return True
    return False


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
