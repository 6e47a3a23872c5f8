"""Generic webhooks: the alert's JSON (worker/schemas/alert.schema.json), signed per Standard Webhooks.

`webhook-id` is the alert id (the digest id for a digest): the same on every
retry and every re-send, so a receiver drops what it already has. It is sent
on unsigned webhooks too, since dropping repeats needs no secret.
`webhook-timestamp` is the time of the attempt, and `webhook-signature` the
HMAC-SHA256 of "id.timestamp.body" under the destination's secret, computed
by the standardwebhooks library, which receivers use to verify it.
"""

from __future__ import annotations

from datetime import UTC, datetime

from standardwebhooks.webhooks import Webhook

from worker.clients.http import HttpClient
from worker.config.models import WebhookDestination
from worker.deliver.transport import post
from worker.records import Payload


class WebhookSender:
    def __init__(self, destination: WebhookDestination, http: HttpClient, timeout: float) -> None:
        self.id = destination.id
        self.url = destination.url.get_secret_value()
        self.signer = Webhook(destination.secret.get_secret_value()) if destination.secret else None
        self.headers = dict(destination.headers)
        self.http = http
        self.timeout = timeout

    def send(self, payload: Payload) -> None:
        body = payload.to_json()
        headers = {**self.headers, "Content-Type": "application/json", "webhook-id": payload.id}
        if self.signer is not None:
            now = datetime.now(UTC)
            headers |= {"webhook-timestamp": str(int(now.timestamp())),
                        "webhook-signature": self.signer.sign(payload.id, now, body.decode())}
        post(self.http, self.id, self.url, body, headers, self.timeout)
