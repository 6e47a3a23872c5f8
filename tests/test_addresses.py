# ruff: noqa: S104 - addresses named as data, nothing binds to them
"""One address rule for `config check` and the fetcher: hosts read as browsers read them."""

from __future__ import annotations

import ipaddress

import pytest

from worker.addresses import AddressPolicy, URLRefused, fetch_target, parse_host, why_not_public

# Every way a URL can name a loopback or private address, with the address it names.
TRAPS = [
    ("http://127.0.0.1/rss", "127.0.0.1"),
    ("http://127.1/rss", "127.0.0.1"),
    ("http://0x7f000001/rss", "127.0.0.1"),
    ("http://0177.0.0.1/rss", "127.0.0.1"),
    ("http://2130706433/rss", "127.0.0.1"),
    ("http://0x7f.0.0.1/rss", "127.0.0.1"),
    ("http://127.0.0.%31/rss", "127.0.0.1"),
    ("http://127.0.0.1./rss", "127.0.0.1"),
    ("http://[::ffff:127.0.0.1]/rss", "::ffff:7f00:1"),
    ("http://[2002:7f00:1::]/rss", "2002:7f00:1::"),
    ("http://[64:ff9b::7f00:1]/rss", "64:ff9b::7f00:1"),
    ("http://[::127.0.0.1]/rss", "::7f00:1"),
    ("http://[::1]/rss", "::1"),
    ("http://169.254.169.254/latest/meta-data/", "169.254.169.254"),
    ("http://[fe80::1]/rss", "fe80::1"),
    ("http://[fd00::1]/rss", "fd00::1"),
    ("http://[fec0::1]/rss", "fec0::1"),
    ("http://224.0.0.1/rss", "224.0.0.1"),
    ("http://[ff02::1]/rss", "ff02::1"),
    ("http://0.0.0.0/rss", "0.0.0.0"),
    ("http://0/rss", "0.0.0.0"),
    ("http://[::]/rss", "::"),
    ("http://100.64.0.1/rss", "100.64.0.1"),
    ("http://0.1.2.3/rss", "0.1.2.3"),
    ("http://10.0.0.1/rss", "10.0.0.1"),
    ("http://0x0a.0.0.1/rss", "10.0.0.1"),
    ("http://192.168.1.1/rss", "192.168.1.1"),
    ("http://172.16.0.1/rss", "172.16.0.1"),
    ("http://198.18.0.1/rss", "198.18.0.1"),
    ("http://240.0.0.1/rss", "240.0.0.1"),
    ("http://255.255.255.255/rss", "255.255.255.255"),
    ("http://[64:ff9b:1::1]/rss", "64:ff9b:1::1"),
    ("http://[2002:a00:1::]/rss", "2002:a00:1::"),  # 6to4 of 10.0.0.1
    ("http://[64:ff9b::a9fe:a9fe]/rss", "64:ff9b::a9fe:a9fe"),  # NAT64 of the metadata address
]


@pytest.mark.parametrize(("host", "address"), [
    ("127.1", "127.0.0.1"), ("0x7f000001", "127.0.0.1"), ("0177.0.0.1", "127.0.0.1"),
    ("2130706433", "127.0.0.1"), ("0X7F.1", "127.0.0.1"), ("127.0.1", "127.0.0.1"), ("0x", "0.0.0.0"),
    ("1.0x100", "1.0.1.0"), ("4294967295", "255.255.255.255"), ("127.0.0.%31", "127.0.0.1"),
    ("[::ffff:127.0.0.1]", "::ffff:7f00:1"), ("::1", "::1"),
])
def test_ipv4_is_read_as_browsers_read_it(host: str, address: str) -> None:
    assert parse_host(host) == ipaddress.ip_address(address)


@pytest.mark.parametrize(("host", "name"), [
    ("Example.COM", "example.com"), ("news.example.", "news.example"),
    ("Bücher.example", "xn--bcher-kva.example"),
    ("foo\uff0eexample", "foo.example"), ("a_b.example", "a_b.example"), ("%61.example", "a.example"),
    ("1.example", "1.example"), ("0x1g.example", "0x1g.example"), ("xn--ls8h.la", "xn--ls8h.la"),
])
def test_names_stay_names(host: str, name: str) -> None:
    assert parse_host(host) == name


@pytest.mark.parametrize("host", [
    "1.2.3.09", "256.1.1.1", "1.2.3.4.5", "4294967296", "1..2", "foo.0x1", "example.42", "[oops]",
    "[fe80::1%25eth0]", "ex\u202eample.com", "\u2603.example", "a b.example", "%ff.example",
    "xn--zz.example", "news.xn--a.example",  # punycode that does not decode, or decodes to a control
])
def test_hosts_no_parser_reads_are_invalid(host: str) -> None:
    with pytest.raises(URLRefused) as refused:
        parse_host(host)
    assert refused.value.kind == "invalid_url"


@pytest.mark.parametrize(("url", "address"), TRAPS)
def test_every_form_of_a_private_address_is_refused(url: str, address: str) -> None:
    assert fetch_target(url).host == ipaddress.ip_address(address)
    with pytest.raises(URLRefused) as refused:
        AddressPolicy([]).check(url)
    assert refused.value.kind == "blocked" and "allow_private_hosts" in refused.value.reason


@pytest.mark.parametrize(("address", "why"), [
    ("2002:7f00:1::", "the 6to4 form of 127.0.0.1, loopback"),
    ("64:ff9b::7f00:1", "the NAT64 form of 127.0.0.1, loopback"),
    ("::127.0.0.1", "the IPv4-compatible form of 127.0.0.1, loopback"),
    ("::ffff:10.0.0.1", "the IPv4-mapped form of 10.0.0.1, private"),
    ("100.64.0.1", "shared, carrier-grade NAT"),
    ("169.254.169.254", "link-local"),
    ("93.184.215.14", None), ("2606:4700::1", None),
    ("2002:808:808::", None), ("64:ff9b::808:808", None),  # 6to4 and NAT64 of a public host are public
])
def test_why_an_address_is_not_public(address: str, why: str | None) -> None:
    assert why_not_public(ipaddress.ip_address(address)) == why


@pytest.mark.parametrize("url", [
    "http://localhost/rss", "http://LOCALHOST./rss", "http://feeds.localhost/rss",
])
def test_localhost_names_are_loopback(url: str) -> None:
    with pytest.raises(URLRefused, match="resolves to 127.0.0.1"):
        AddressPolicy([]).check(url)


@pytest.mark.parametrize(("allowed", "url"), [
    (["127.0.0.1"], "http://0x7f000001/rss"),
    (["127.1"], "http://127.0.0.1/rss"),
    (["10.0.0.0/8"], "http://0x0a.1.2.3/rss"),
    (["::ffff:0:0/96"], "http://[::ffff:127.0.0.1]/rss"),
    (["localhost"], "http://LocalHost/rss"),
    (["Feeds.Local."], "http://feeds.local/rss"),
])
def test_allowed_hosts_are_read_the_same_way(allowed: list[str], url: str) -> None:
    AddressPolicy(allowed).check(url)


@pytest.mark.parametrize(("url", "target"), [
    ("http://0177.0.0.1:8080/a/b?q=1", "http://127.0.0.1:8080/a/b?q=1"),
    ("HTTPS://user:p%40ss@Example.COM/feed", "https://user:p%40ss@example.com/feed"),
    ("http://[::FFFF:127.0.0.1]/x", "http://[::ffff:7f00:1]/x"),
    ("  http://news.example/a\\b?c\\d\n", "http://news.example/a/b?c\\d"),
    ("http://evil.example\\@127.0.0.1/", "http://evil.example/@127.0.0.1/"),
])
def test_the_fetched_url_is_the_checked_one(url: str, target: str) -> None:
    assert fetch_target(url).url == target


@pytest.mark.parametrize(("url", "kind"), [
    ("ftp://files.example/x", "blocked"), ("file:///etc/passwd", "blocked"),
    ("http://news.example:99999/", "invalid_url"), ("http://news.example:port/", "invalid_url"),
    ("http://[oops/", "invalid_url"), ("http:///x", "invalid_url"), ("http://1.2.3.09/", "invalid_url"),
])
def test_urls_that_cannot_be_fetched(url: str, kind: str) -> None:
    with pytest.raises(URLRefused) as refused:
        fetch_target(url)
    assert refused.value.kind == kind


@pytest.mark.parametrize(("allowed", "host", "address", "ok"), [
    ([], "example.org", "93.184.216.34", True),
    ([], "evil.example", "10.1.2.3", False),
    ([], "evil.example", "2002:7f00:1::", False),
    ([], "evil.example", "64:ff9b::7f00:1", False),
    (["10.0.0.0/8"], "intranet", "10.1.2.3", True),
    (["feeds.local"], "feeds.local", "192.168.1.5", True),
    (["feeds.local"], "other.local", "192.168.1.5", False),
])
def test_a_resolved_address_is_judged_by_the_same_rule(allowed: list[str], host: str, address: str,
                                                      ok: bool) -> None:
    refusal = AddressPolicy(allowed).refusal(parse_host(host), ipaddress.ip_address(address))
    assert (refusal is None) == ok
