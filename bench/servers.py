"""Helpers the bench scripts share for the servers they start."""

import time
import urllib.request


def wait_for(url, process=None, seconds=120):
    """Wait until `url` answers, or raise; `process`, when given, is the server, whose exit ends the wait."""
    for _ in range(int(seconds * 10)):
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"server exited: {url}")
        try:
            urllib.request.urlopen(url, timeout=5).read()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"no answer from {url}")
