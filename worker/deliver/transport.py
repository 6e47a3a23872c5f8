"""One POST to a destination, and what its answer means for retrying.

Errors name the destination id, never its URL (a webhook URL is a secret),
and carry at most a short excerpt of the receiver's answer.
"""

from __future__ import annotations

from collections.abc import Mapping

from worker.clients.http import HttpClient, Response
from worker.deliver.retry import retryable_status
from worker.errors import DeliveryError, FetchError


def post(http: HttpClient, destination: str, url: str, body: bytes, headers: Mapping[str, str],
         timeout: float) -> Response:
    try:
        response = http.post(url, content=body, headers=headers, timeout=timeout)
    except FetchError as exc:
        if exc.kind == "invalid_url":  # no retry can help: the URL must change (and then `dlq replay`)
            raise DeliveryError(destination, "invalid_url: its URL does not parse; fix it in the config "
                                "(or its variable), then `newswatch dlq replay`", retryable=False) from None
        raise DeliveryError(destination, f"{exc.kind}: no answer", retryable=True) from None
    if response.status >= 300:
        excerpt = " ".join(response.content[:200].decode("utf-8", "replace").split())
        raise DeliveryError(destination, f"HTTP {response.status}: {excerpt}",
                            retryable=retryable_status(response.status), retry_after=response.retry_after())
    return response
