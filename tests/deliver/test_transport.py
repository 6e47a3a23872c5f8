"""What a POST's failure means for retrying: an unparsable URL is no outage."""

from __future__ import annotations

import pytest

from worker.clients.http import HttpClient
from worker.config.models import HttpSettings
from worker.deliver.transport import post
from worker.errors import DeliveryError


@pytest.mark.parametrize("url", ["http://a..b/hook", "http://[::1/hook", "http://xn--a.example/hook"])
def test_a_url_that_does_not_parse_is_a_dead_letter_at_once_never_retried(url: str) -> None:
    http = HttpClient(HttpSettings())
    try:
        with pytest.raises(DeliveryError) as caught:
            post(http, "siem", url, b"{}", {}, timeout=2)
    finally:
        http.close()
    assert not caught.value.retryable
    assert "does not parse" in str(caught.value) and "dlq replay" in str(caught.value)
    assert url not in str(caught.value)  # a webhook URL is a secret
