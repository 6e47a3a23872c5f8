"""Which addresses the worker may connect to: the rule the HTTP client enforces and the config check applies.

Feeds and pages come from anywhere, so a host that resolves to a private,
loopback or link-local address is refused unless the operator trusts it
(`settings.http.allow_private_hosts`). The rule lives below both its users:
the HTTP client checks every address a name resolves to, and `newswatch
config check` warns about a feed whose URL is such an address, offline.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class BlockedAddress(Exception):
    """Raised inside httpcore; turned into BlockedURL at the HTTP client's edge."""


class AddressPolicy:
    """Which addresses a host may connect to."""

    def __init__(self, allowed: Iterable[str]) -> None:
        self.hosts: set[str] = set()
        self.networks: list[ipaddress.IPv4Network | ipaddress.IPv6Network] = []
        for entry in allowed:
            try:
                self.networks.append(ipaddress.ip_network(entry, strict=False))
            except ValueError:
                self.hosts.add(entry.lower().rstrip("."))

    def check(self, host: str, address: IPAddress) -> None:
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
            address = address.ipv4_mapped
        if address.is_global and not address.is_multicast:
            return
        if host.lower().rstrip(".") in self.hosts or any(address in n for n in self.networks):
            return
        raise BlockedAddress(
            f"{host} resolves to {address}, a non-public address; "
            f"add the host to settings.http.allow_private_hosts if it is trusted")
