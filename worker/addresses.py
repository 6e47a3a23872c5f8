"""Where the worker may fetch from: one rule, used by `config check` and by the fetcher.

A URL names its host the way browsers read it (WHATWG URL host parsing), not
the way `ipaddress` or a regular expression does: `127.1`, `0x7f000001`,
`0177.0.0.1`, `2130706433` and `127.0.0.%31` all name 127.0.0.1. A check that
reads them otherwise either lets through what the resolver then connects to,
or refuses a URL the fetcher would take. So the host is parsed once, here, and
the URL the fetcher requests is rebuilt around the host in its canonical form
(`fetch_target`): what was checked is what is fetched.

An address is public when `ipaddress` calls it global, it is not multicast,
and every IPv4 address it carries is public too: the IPv4-mapped
(::ffff:a.b.c.d), IPv4-compatible (::a.b.c.d), 6to4 (2002:aabb:ccdd::) and
NAT64 (64:ff9b::a.b.c.d) forms each reach that IPv4 host. Names are not
resolved here (`config check` runs offline, and an answer can change); the
fetcher puts every address DNS gives through the same `AddressPolicy.refusal`
at connect time, which is what defeats DNS rebinding. `localhost` and names
under it are loopback (RFC 6761).
"""

from __future__ import annotations

import functools
import ipaddress
import re
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import unquote_to_bytes, urlsplit, urlunsplit

import idna

from worker.errors import FetchErrorKind

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Host = IPAddress | str  # an address, or a lower-case ASCII name without its trailing dot
LOOPBACK = ipaddress.IPv4Address("127.0.0.1")
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")  # RFC 6052's well-known prefix; `ipaddress` has no property
_NAT64_LOCAL = ipaddress.IPv6Network("64:ff9b:1::/48")  # RFC 8215, local use: never global
_COMPATIBLE = ipaddress.IPv6Network("::/96")  # RFC 4291's deprecated IPv4-compatible form
_SHARED = ipaddress.IPv4Network("100.64.0.0/10")  # RFC 6598, carrier-grade NAT
_ASCII_NAME = re.compile(r"^(?=.{1,253}$)[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?"
                         r"(?:\.[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?)*$")
_EDGES = "".join(map(chr, range(0x21)))  # C0 controls and space, which URL parsers strip at both ends
_TAB_OR_NEWLINE = re.compile(r"[\t\n\r]")


class URLRefused(ValueError):
    """Why a URL is not fetched: `kind` is "invalid_url" (no parser reads a host from it) or "blocked"."""

    def __init__(self, reason: str, *, kind: FetchErrorKind) -> None:
        super().__init__(reason)
        self.reason = reason
        self.kind: FetchErrorKind = kind


@dataclass(frozen=True)
class Target:
    """A URL as the fetcher requests it: `host` canonical, userinfo, port, path and query as written."""

    url: str
    host: Host
    port: int  # as written, else the scheme's


def parse_host(raw: str) -> Host:
    """The host as a browser reads it (WHATWG): an address, or a lower-case ASCII name; raises URLRefused."""
    if raw.startswith("[") or ":" in raw:  # bracketed in a URL; bare where a socket names it
        try:
            if "%" in raw:
                raise ValueError("a zone id")  # link-local only, and no URL standard takes one
            return ipaddress.IPv6Address(raw.removeprefix("[").removesuffix("]"))
        except ValueError:
            raise _invalid(f"{raw!r} is not an IPv6 address") from None
    try:
        decoded = unquote_to_bytes(raw).decode("utf-8")
    except UnicodeDecodeError:
        raise _invalid(f"the host {raw!r} percent-encodes bytes that are not UTF-8") from None
    name = _ascii_name(decoded)
    labels = name.split(".")
    if labels[-1] == "" and len(labels) > 1:
        labels.pop()
    if labels[-1].isdigit() or _number(labels[-1]) is not None:  # "ends in a number": an IPv4 address
        return _ipv4(labels, raw)
    if not _ASCII_NAME.match(name.removesuffix(".")):
        raise _invalid(f"the host {raw!r} holds characters no host name has")
    if any(label.startswith("xn--") and not _a_label(label) for label in labels):
        raise _invalid(f"the host {raw!r} has a label that is not valid punycode")
    return name.removesuffix(".")


def trimmed(url: str) -> str:
    """`url` as URL parsers take it: controls and spaces cut at both ends, tabs and line breaks dropped."""
    return _TAB_OR_NEWLINE.sub("", url).strip(_EDGES)


def host_text(host: Host) -> str:
    """The host as it is written in a URL: IPv6 in brackets."""
    return f"[{host.compressed}]" if isinstance(host, ipaddress.IPv6Address) else str(host)


@functools.lru_cache(maxsize=1024)  # destinations, feeds and redirect hubs are asked for again and again
def fetch_target(url: str) -> Target:
    """`url` with its host made canonical, as the fetcher requests it; raises URLRefused.

    Only http and https are fetched. Userinfo, path and query are kept as written (a private feed's
    credentials, a signed query), so only the host, the part that decides where the request goes,
    is rewritten.
    """
    text = trimmed(url)
    cut = min((i for i in (text.find("?"), text.find("#")) if i >= 0), default=len(text))
    try:  # `\\` is `/` before the query, as browsers read an http(s) URL
        parts = urlsplit(text[:cut].replace("\\", "/") + text[cut:])
        port = parts.port
    except ValueError as exc:
        raise _invalid(f"the URL does not parse ({exc})") from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise URLRefused(f"only http and https URLs are fetched, not {scheme or 'this'!r}", kind="blocked")
    userinfo, _, hostport = parts.netloc.rpartition("@")
    if not parts.hostname:
        raise _invalid("the URL has no host")
    host = parse_host(_written_host(hostport))
    netloc = (f"{userinfo}@" if userinfo else "") + host_text(host) + ("" if port is None else f":{port}")
    return Target(urlunsplit((scheme, netloc, parts.path, parts.query, parts.fragment)), host,
                  port or (443 if scheme == "https" else 80))


def embedded_ipv4(address: ipaddress.IPv6Address) -> tuple[str, ipaddress.IPv4Address] | None:
    """The IPv4 address an IPv6 one reaches, with the form's name: mapped, 6to4, NAT64, compatible."""
    if address.ipv4_mapped is not None:
        return "IPv4-mapped", address.ipv4_mapped
    if address.sixtofour is not None:
        return "6to4", address.sixtofour
    if address in _NAT64:
        return "NAT64", ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    if address in _COMPATIBLE and int(address) > 1:  # :: and ::1 are themselves, not IPv4
        return "IPv4-compatible", ipaddress.IPv4Address(int(address))
    return None


def why_not_public(address: IPAddress) -> str | None:
    """None for a public address; else what it is ("loopback", "the 6to4 form of 127.0.0.1, loopback")."""
    if isinstance(address, ipaddress.IPv6Address) and (embedded := embedded_ipv4(address)):
        form, ipv4 = embedded
        why = why_not_public(ipv4)
        return f"the {form} form of {ipv4}, {why}" if why else None
    for what, holds in (("loopback", address.is_loopback), ("unspecified", address.is_unspecified),
                        ("link-local", address.is_link_local), ("multicast", address.is_multicast),
                        ("private", address.is_private), ("site-local", _site_local(address)),
                        ("shared, carrier-grade NAT", address in _SHARED),
                        ("local-use NAT64", address in _NAT64_LOCAL),
                        ("reserved", address.is_reserved)):
        if holds:
            return what
    return None if address.is_global else "special-purpose, not globally routable"


class AddressPolicy:
    """Which addresses a host may connect to: public ones, and those `allow_private_hosts` names."""

    def __init__(self, allowed: Iterable[str]) -> None:
        self.hosts: set[Host] = set()
        self.networks: list[ipaddress.IPv4Network | ipaddress.IPv6Network] = []
        for entry in allowed:
            try:
                self.networks.append(ipaddress.ip_network(entry, strict=False))
                continue
            except ValueError:
                pass
            try:
                host = parse_host(entry.strip())
            except URLRefused:
                continue  # the config model refuses such entries; nothing can match them
            if isinstance(host, str):
                self.hosts.add(host)
            else:
                self.networks.append(ipaddress.ip_network(host))

    def refusal(self, host: Host, address: IPAddress) -> str | None:
        """Why connecting to `address` for `host` is refused, naming the fix; None when it may."""
        why = why_not_public(address)
        if why is None or host in self.hosts or any(address in n for n in self.networks):
            return None
        named = f"{host_text(host)} is" if host == address else f"{host_text(host)} resolves to {address},"
        return (f"{named} a non-public address ({why}); add the host to settings.http.allow_private_hosts "
                f"if it is trusted")

    def check(self, url: str) -> Target:
        """The target of `url` when it may be fetched; raises URLRefused (invalid, or a refused address).

        A name is judged here only when it is `localhost` or under it; others are judged at connect
        time, address by address, by `refusal`.
        """
        target = fetch_target(url)
        host = target.host
        address = host if not isinstance(host, str) else LOOPBACK if _is_localhost(host) else None
        if address is not None and (why := self.refusal(host, address)):
            raise URLRefused(why, kind="blocked")
        return target


def _ascii_name(domain: str) -> str:
    if domain.isascii():
        return domain.lower()
    try:
        return idna.encode(domain, uts46=True).decode("ascii")
    except (idna.IDNAError, UnicodeError, ValueError):
        raise _invalid(f"the host {domain!r} is not a valid internationalised name") from None


def _a_label(label: str) -> bool:
    """Whether an `xn--` label decodes to printable characters (browsers refuse the others; emoji pass,
    which IDNA2008 alone would refuse)."""
    try:
        decoded = label[4:].encode("ascii").decode("punycode")
    except (UnicodeError, ValueError):
        return False
    return bool(decoded) and decoded.isprintable()


def _number(part: str) -> int | None:
    """An IPv4 part as WHATWG reads it: 0x.. hex, 0.. octal, else decimal; None if it is none."""
    if part.lower().startswith("0x"):
        digits, base = part[2:], 16
    elif len(part) > 1 and part.startswith("0"):
        digits, base = part[1:], 8
    else:
        digits, base = part, 10
    if not digits:
        return None if base == 10 else 0
    try:
        return int(digits, base) if digits.isalnum() and digits.isascii() else None
    except ValueError:
        return None


def _ipv4(labels: list[str], raw: str) -> ipaddress.IPv4Address:
    numbers = [_number(label) for label in labels]
    if len(labels) > 4 or any(n is None for n in numbers):
        raise _invalid(f"the host {raw!r} ends in a number but is not an IPv4 address")
    values = [n for n in numbers if n is not None]
    if any(n > 255 for n in values[:-1]) or values[-1] >= 256 ** (5 - len(values)):
        raise _invalid(f"the host {raw!r} is an IPv4 address out of range")
    value = values[-1]
    for index, n in enumerate(values[:-1]):
        value += n << (8 * (3 - index))
    return ipaddress.IPv4Address(value)


def _written_host(hostport: str) -> str:
    """The host part of `host:port` as written (urlsplit's `hostname` lower-cases and unbrackets it)."""
    if hostport.startswith("["):
        return hostport[: hostport.find("]") + 1]
    return hostport.rpartition(":")[0] if ":" in hostport else hostport


def _is_localhost(name: str) -> bool:
    return name == "localhost" or name.endswith(".localhost")


def _site_local(address: IPAddress) -> bool:
    return isinstance(address, ipaddress.IPv6Address) and address.is_site_local


def _invalid(reason: str) -> URLRefused:
    return URLRefused(reason, kind="invalid_url")
