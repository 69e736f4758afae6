"""JSON over HTTP with a token, retries with exponential backoff, and typed errors."""

from __future__ import annotations

import http.client
import json
import logging
import random
import socket
import time
import urllib.error
import urllib.request
from typing import Any, Callable, Dict, Optional

from ._version import __version__
from .errors import AuthError, BadRequest, Conflict, ConnectionFailed, NotFound, ServerError, TunerError

log = logging.getLogger("tuner_client")

# Worth another try: the request may never have reached the server, or the server was
# briefly down or busy. Every call the client makes is safe to repeat (see Transport).
_RETRY_STATUSES = (429, 500, 502, 503, 504)
_TRANSIENT = (urllib.error.URLError, ConnectionError, socket.timeout, http.client.HTTPException, OSError)
_ERRORS_BY_STATUS = {400: BadRequest, 401: AuthError, 403: AuthError, 404: NotFound, 409: Conflict}


class Transport:
    """Sends JSON requests to a Tuner server and decodes the answers.

    Connection errors and 5xx answers are retried up to ``max_retries`` times, waiting
    ``backoff_s * 2**attempt`` (with jitter, capped at ``max_backoff_s``) between tries.
    Repeating is safe for every call the client makes: report, tell and heartbeat are
    idempotent on the server (a tell that asks for the next trial hands out the same one
    again), and an ask whose reply was lost leaves a trial that the server's reaper fails
    once its heartbeat is overdue.

    Args:
        url: The server's base URL, e.g. ``http://127.0.0.1:8000``.
        token: The API token (sent as ``Authorization: Token <token>``).
        timeout_s: Time allowed for one HTTP exchange.
        max_retries: Extra attempts after the first one fails transiently.
        backoff_s: The first wait between attempts.
        max_backoff_s: The longest wait between attempts.
        sleep: Called to wait; replaceable in tests.
    """

    def __init__(
        self,
        url: str,
        token: str,
        timeout_s: float = 30.0,
        max_retries: int = 5,
        backoff_s: float = 0.5,
        max_backoff_s: float = 30.0,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.url = url.rstrip("/")
        self.token = token
        self.timeout_s = timeout_s
        self.max_retries = max_retries
        self.backoff_s = backoff_s
        self.max_backoff_s = max_backoff_s
        self.sleep = sleep

    def request(
        self, method: str, path: str, body: Any = None, headers: Optional[Dict[str, str]] = None,
        max_retries: Optional[int] = None, data: Optional[bytes] = None,
    ) -> Any:
        """Send one request, retrying transient failures, and return the decoded JSON body.

        Args:
            method: ``GET``, ``POST`` or ``PATCH``.
            path: The path below the base URL, e.g. ``/api/studies/7/ask/``.
            body: JSON-serialisable data to send, or None.
            headers: Extra headers.
            max_retries: Overrides the transport's retry count for this call.
            data: Bytes to send as they are instead of JSON (give their Content-Type in ``headers``).

        Returns:
            The decoded JSON answer, or None for an empty answer (204).

        Raises:
            BadRequest, AuthError, NotFound, Conflict: On 400, 401/403, 404, 409, with the
                server's message; TunerError for another 4xx.
            ServerError: When the server still answers 5xx after the last retry.
            ConnectionFailed: When the server still cannot be reached after the last retry.
        """
        retries = self.max_retries if max_retries is None else max_retries
        attempt = 0
        while True:
            try:
                return self._send_once(method, path, body, headers, data)
            except _Retryable as exc:
                if attempt >= retries:
                    raise exc.final() from None
                delay = self._delay(attempt)
                log.warning("%s %s failed (%s); retrying in %.1f s", method, path, exc.reason, delay)
                self.sleep(delay)
                attempt += 1

    def _delay(self, attempt: int) -> float:
        # Jitter spreads the retries of many agents that lost the server at the same moment.
        return min(self.backoff_s * 2**attempt, self.max_backoff_s) * random.uniform(0.5, 1.0)

    def _send_once(self, method: str, path: str, body: Any, headers: Optional[Dict[str, str]],
                   data: Optional[bytes] = None) -> Any:
        if data is None and body is not None:
            data = json.dumps(body).encode()
        request = urllib.request.Request(
            self.url + path, data=data, method=method,
            headers={**self._headers(body is not None), **(headers or {})},
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout_s) as response:
                raw = response.read()
        except urllib.error.HTTPError as exc:
            raw = _read_error_body(exc)
            if exc.code in _RETRY_STATUSES:
                error = ServerError(_server_message(exc.code, raw), exc.code, raw)
                raise _Retryable(f"HTTP {exc.code}", error) from None
            raise _error_for(exc.code, raw) from None
        except _TRANSIENT as exc:
            reason = getattr(exc, "reason", None) or exc
            raise _Retryable(str(reason), ConnectionFailed(f"cannot reach {self.url}: {reason}")) from None
        try:
            return _decode(raw)
        except ValueError:
            raise TunerError(f"{self.url}{path} answered something that is not JSON; is this a Tuner server?") from None

    def _headers(self, has_body: bool) -> Dict[str, str]:
        headers = {"Accept": "application/json", "User-Agent": f"tuner-client/{__version__}"}
        if self.token:
            headers["Authorization"] = f"Token {self.token}"
        if has_body:
            headers["Content-Type"] = "application/json"
        return headers


class _Retryable(Exception):
    """A transient failure, and the error to raise when no retry is left."""

    def __init__(self, reason: str, error: TunerError) -> None:
        super().__init__(reason)
        self.reason = reason
        self.error = error

    def final(self) -> TunerError:
        return self.error


def _decode(raw: bytes) -> Any:
    if not raw:
        return None
    return json.loads(raw.decode("utf-8"))


def _read_error_body(exc: urllib.error.HTTPError) -> Any:
    try:
        raw = exc.read()
    except (OSError, http.client.HTTPException):
        return None
    try:
        return _decode(raw)
    except ValueError:
        return raw.decode("utf-8", "replace").strip()[:500] or None


def _error_for(status: int, body: Any) -> TunerError:
    error_class = _ERRORS_BY_STATUS.get(status, TunerError)
    return error_class(_server_message(status, body), status, body)


def _server_message(status: int, body: Any) -> str:
    """The server's own words: DRF answers {"detail": ...} or {"field": ["message", ...]}."""
    if isinstance(body, dict):
        if isinstance(body.get("detail"), str):
            return body["detail"]
        parts = [f"{field}: {_first(messages)}" for field, messages in body.items()]
        if parts:
            return "; ".join(parts)
    if isinstance(body, str) and body:
        return body
    return f"the server answered HTTP {status}"


def _first(messages: Any) -> str:
    if isinstance(messages, list) and messages:
        return str(messages[0])
    return str(messages)
