"""The webhook receiver of tests and benches: signed POSTs answered as the test says, each one logged.

It stands where a SIEM or an alerting endpoint would: it checks the Standard
Webhooks signature when it knows the secret (a bad one is refused with 400
and counted), answers each POST by its attempt number under its webhook-id,
or with `down_status` while `down` is set, or hangs until `hang_until` and
then drops the connection unanswered. Exactly once is measured here, where
it matters: `attempts`, `delivered`, `by_article` read the log.
"""

from __future__ import annotations

import json
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from standardwebhooks.webhooks import Webhook

from tests.kit.http import Answer, LocalServer, Recorded


@dataclass(frozen=True)
class Post:
    webhook_id: str
    status: int  # what the receiver answered; 0 when it hung and dropped the connection
    body: bytes
    at: float  # time.monotonic() when it arrived

    def json(self) -> dict[str, Any]:
        value: dict[str, Any] = json.loads(self.body)
        return value


class Receiver:
    """The webhook at `path` of `server`; see the module docstring for how it answers."""

    def __init__(self, server: LocalServer, path: str = "/hook", secret: str | None = None,
                 answers: Callable[[int], int] = lambda attempt: 200) -> None:
        self.server = server
        self.path = path
        self.secret = secret
        self.answers = answers
        self.down = threading.Event()
        self.down_status = 503
        self.hang_until = 0.0  # time.monotonic() until which POSTs are held, then dropped
        self.bad_signatures: list[str] = []
        self.log: list[Post] = []
        self._lock = threading.Lock()
        self.url = server.set(path, self._answer)

    def _answer(self, rec: Recorded) -> Answer:
        webhook_id = rec.headers.get("webhook-id", "")
        if self.secret is not None:
            try:
                Webhook(self.secret).verify(rec.body, rec.headers)
            except Exception as exc:  # noqa: BLE001 - any failure is what the test reports
                with self._lock:
                    self.bad_signatures.append(f"{webhook_id}: {exc}")
                return Answer(400, b"bad signature")
        held = self.hang_until - time.monotonic()
        with self._lock:
            attempt = 1 + sum(1 for post in self.log if post.webhook_id == webhook_id)
            status = 0 if held > 0 else self.down_status if self.down.is_set() else self.answers(attempt)
            self.log.append(Post(webhook_id, status, rec.body, time.monotonic()))
        if status == 0:  # accepted, never answered: the sender gave up long before
            return Answer(delay=held, drop=True)
        return Answer(status, b"ok" if status < 300 else b"not now")

    def posts(self) -> list[Post]:
        with self._lock:
            return list(self.log)

    def accepted(self) -> list[Post]:
        """The POSTs answered 2xx, in order of arrival."""
        return [post for post in self.posts() if 200 <= post.status < 300]

    def delivered(self) -> list[str]:
        """The webhook-id of each POST answered 2xx, in order of arrival."""
        return [post.webhook_id for post in self.accepted()]

    def failed(self) -> list[str]:
        """The webhook-id of each POST answered otherwise."""
        return [post.webhook_id for post in self.posts() if not 200 <= post.status < 300]

    def alerts(self) -> list[dict[str, Any]]:
        """The alerts (or digests) accepted, one per 2xx answer."""
        return [post.json() for post in self.accepted()]

    def attempts(self) -> Counter[str]:
        """POSTs per webhook-id, whatever the answer."""
        return Counter(post.webhook_id for post in self.posts())

    def by_article(self) -> dict[str, list[float]]:
        """Arrival times of the accepted alerts, by the path of the article each is about."""
        arrivals: dict[str, list[float]] = {}
        for post in self.accepted():
            arrivals.setdefault(article_path(post.json()), []).append(post.at)
        return arrivals

    def first_after(self, moment: float) -> float | None:
        """Seconds from `moment` to the first alert accepted at or after it; None if none was."""
        later = [post.at for post in self.accepted() if post.at >= moment]
        return min(later) - moment if later else None


def article_path(alert: dict[str, Any]) -> str:
    """The path of the article an alert is about: how a benchmark's pages are told apart."""
    return "/" + str(alert["url"]).split("/", 3)[3]
