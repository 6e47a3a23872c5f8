"""Generic webhooks: the alert's JSON (worker/schemas/alert.schema.json), signed per Standard Webhooks.

`webhook-id` is the alert id (the digest id for a digest): the same on every
retry and every re-send, so a receiver drops what it already has.
`webhook-timestamp` is the time of the attempt, and `webhook-signature` the
HMAC-SHA256 of "id.timestamp.body" under the destination's secret, computed
by the standardwebhooks library, which receivers use to verify it. Signing is
the default (`config check` warns about a webhook without a secret unless it
says `unsigned: true`); an unsigned one still sends `webhook-id` and
`webhook-timestamp`, since dropping repeats and refusing stale replays need no
secret.

The body is always strict UTF-8 JSON (RFC 8259): every string passes through
`worker.text.clean`, so a lone surrogate, which pydantic cannot encode and a
strict parser refuses even as a `\ud800` escape, cannot reach it whatever an
alert (or an old dead letter being replayed) holds; a number that is not
finite is null. Almost every record is clean already (the records refuse most unclean text), so
pydantic writes its JSON at once (a tenth of the time the walk through every string takes) and only a
body in which `clean` would change something is built again string by string.
"""

from __future__ import annotations

import json
import math
import re
from datetime import UTC, datetime

from pydantic_core import PydanticSerializationError
from standardwebhooks.webhooks import Webhook

from worker.clients.http import HttpClient
from worker.config.models import WebhookDestination
from worker.deliver.transport import post
from worker.records import Payload
from worker.text import clean


class WebhookSender:
    def __init__(self, destination: WebhookDestination, http: HttpClient, timeout: float) -> None:
        self.id = destination.id
        self.url = destination.url.get_secret_value()
        self.signer = Webhook(destination.secret.get_secret_value()) if destination.secret else None
        self.headers = dict(destination.headers)
        self.http = http
        self.timeout = timeout

    def send(self, payload: Payload) -> None:
        body = strict_json(payload)
        now = datetime.now(UTC)
        headers = {**self.headers, "Content-Type": "application/json", "webhook-id": payload.id,
                   "webhook-timestamp": str(int(now.timestamp()))}
        if self.signer is not None:
            headers["webhook-signature"] = self.signer.sign(payload.id, now, body.decode())
        post(self.http, self.id, self.url, body, headers, self.timeout)


# What pydantic writes for the controls `clean` drops or changes (tab and LF it keeps), which a search
# of the JSON text for those characters themselves would not see.
_ESCAPED_CONTROL = re.compile(r"\\[bfr]|\\u00[01]")


def strict_json(payload: Payload) -> bytes:
    """The record's JSON (as `Record.to_json`), every string valid text, every number finite (pydantic
    writes a NaN or an infinity as null)."""
    try:
        text = payload.model_dump_json(exclude_none=True)
    except PydanticSerializationError:  # a lone surrogate: no UTF-8 encoder takes it
        return _strict_json(payload)
    if clean(text) != text or _ESCAPED_CONTROL.search(text):
        return _strict_json(payload)
    return text.encode()


def _strict_json(payload: Payload) -> bytes:
    """`strict_json` string by string: each through `clean`."""
    return json.dumps(_strict(payload.model_dump(mode="json", exclude_none=True)), ensure_ascii=False,
                      allow_nan=False, separators=(",", ":")).encode("utf-8")


def _strict(value: object) -> object:
    if isinstance(value, str):
        return clean(value)
    if isinstance(value, dict):
        return {clean(str(k)): _strict(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_strict(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value
