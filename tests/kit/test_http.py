"""The local server itself: a receiver that goes down must answer no one, as a real outage does."""

from __future__ import annotations

import httpx
import pytest

from tests.kit.http import LocalServer


def test_down_closes_kept_alive_connections_too() -> None:
    server = LocalServer()
    server.set("/hook", status=200)
    try:
        with httpx.Client(timeout=2) as client:  # one pooled connection, as the deliver stage keeps
            assert client.post(server.url("/hook")).status_code == 200
            server.down()
            with pytest.raises(httpx.TransportError):
                client.post(server.url("/hook"))
            server.up()
            assert client.post(server.url("/hook")).status_code == 200
    finally:
        server.close()
