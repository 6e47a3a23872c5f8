#!/usr/bin/env python3
"""Tell whether a Kafka broker answers at HOST:PORT[,HOST:PORT...].

Why this exists: kafka.sh must know whether a broker is already serving
(to reuse it) and when a broker it started is ready, before any Python
client library is installed. An open TCP port is not enough -- the broker
accepts connections before it can serve requests, and another program may
hold the port -- so this sends a real ApiVersions request (key 18, v0) with
the standard library only and accepts nothing but a well-formed answer with
error_code 0 and a non-empty list of APIs.

Exit status: 0 when one of the addresses answers, 1 when none does,
2 on a malformed argument.
"""

from __future__ import annotations

import socket
import struct
import sys

API_VERSIONS_KEY = 18
API_VERSION = 0
CORRELATION_ID = 0x4E5743  # arbitrary; echoed back by the broker
CLIENT_ID = b"newswatch-ready-probe"
TIMEOUT_S = 3.0
MAX_RESPONSE_BYTES = 1 << 20


def parse_address(text: str) -> tuple[str, int]:
    """Split "host:port" (or "[v6]:port") into its parts."""
    host, sep, port = text.strip().rpartition(":")
    if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise ValueError(f"not a host:port address: {text!r}")
    return host.strip("[]"), int(port)


def api_versions_request() -> bytes:
    """Size-prefixed ApiVersions v0 request with a v1 request header."""
    body = struct.pack(
        ">hhih", API_VERSIONS_KEY, API_VERSION, CORRELATION_ID, len(CLIENT_ID)
    ) + CLIENT_ID
    return struct.pack(">i", len(body)) + body


def read_exactly(sock: socket.socket, count: int) -> bytes:
    chunks: list[bytes] = []
    remaining = count
    while remaining:
        chunk = sock.recv(remaining)
        if not chunk:
            raise ConnectionError("connection closed before the response ended")
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


def is_valid_response(payload: bytes) -> bool:
    """Check correlation id, error_code 0 and a consistent api_keys array.

    ApiVersions v0 response: correlation_id int32, error_code int16,
    api_keys [api_key int16, min_version int16, max_version int16].
    """
    if len(payload) < 10:
        return False
    correlation_id, error_code, count = struct.unpack_from(">ihi", payload)
    return (
        correlation_id == CORRELATION_ID
        and error_code == 0
        and count > 0
        and len(payload) == 10 + 6 * count
    )


def broker_answers(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=TIMEOUT_S) as sock:
            sock.settimeout(TIMEOUT_S)
            sock.sendall(api_versions_request())
            (size,) = struct.unpack(">i", read_exactly(sock, 4))
            if not 0 < size <= MAX_RESPONSE_BYTES:
                return False
            return is_valid_response(read_exactly(sock, size))
    except (OSError, struct.error):
        return False


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(f"usage: {argv[0]} HOST:PORT[,HOST:PORT...]", file=sys.stderr)
        return 2
    try:
        addresses = [parse_address(part) for part in argv[1].split(",") if part]
    except ValueError as error:
        print(f"kafka_ready: {error}", file=sys.stderr)
        return 2
    return 0 if any(broker_answers(h, p) for h, p in addresses) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
