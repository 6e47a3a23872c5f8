"""Domains and authors in the one spelling routes compare."""

from __future__ import annotations

import pytest

from worker.sources import author_key, authors_of, domain_key, domains_of


@pytest.mark.parametrize(("written", "key"), [
    ("reuters.com", "reuters.com"),
    ("Reuters.COM", "reuters.com"),
    ("reuters.com.", "reuters.com"),
    ("www.reuters.com", "reuters.com"),
    (" markets.reuters.com ", "markets.reuters.com"),
    ("bücher.de", "xn--bcher-kva.de"),
    ("xn--bcher-kva.de", "xn--bcher-kva.de"),
    ("BÜCHER.de", "xn--bcher-kva.de"),
    ("www.com", "www.com"),  # a site named www, not a www. prefix
    ("bbc.co.uk", "bbc.co.uk"),
])
def test_a_domain_has_one_spelling(written: str, key: str) -> None:
    assert domain_key(written) == key


@pytest.mark.parametrize(("written", "error"), [
    ("https://www.reuters.com/world", "not a domain; write the host name alone: 'reuters.com'"),
    ("reuters.com/world", "not a domain; write the host name alone: 'reuters.com'"),
    ("*.reuters.com", "a domain takes in its subdomains already; write 'reuters.com'"),
    ("reuters .com", "not a domain"),
    ("com", "a top-level domain alone"),
    ("127.0.0.1", "is an IP address"),
    ("[::1]", "is an IP address"),
    ("-reuters.com", "not a valid host name"),
    ("reu$ters.com", "not a valid host name"),
    ("a" * 64 + ".com", "not a valid host name"),
])
def test_a_domain_that_is_no_host_name_is_refused(written: str, error: str) -> None:
    with pytest.raises(ValueError, match=error.replace("*", r"\*").replace("$", r"\$")):
        domain_key(written)


@pytest.mark.parametrize(("url", "domain", "within"), [
    ("https://www.reuters.com/world/x", "reuters.com", True),
    ("https://reuters.com/x", "www.reuters.com", True),  # www. names the site
    ("https://markets.reuters.com/x", "reuters.com", True),
    ("https://a.b.reuters.com/x", "b.reuters.com", True),
    ("https://notreuters.com/x", "reuters.com", False),
    ("https://reuters.com.evil.example/x", "reuters.com", False),
    ("https://reuters.co/x", "reuters.com", False),
    ("https://markets.reuters.com/x", "www.reuters.com", True),
    ("https://reuters.com/x", "markets.reuters.com", False),
    ("https://WWW.Reuters.COM./x", "reuters.com", True),
    ("https://xn--bcher-kva.de/x", "bücher.de", True),
    ("https://shop.bücher.de/x", "xn--bcher-kva.de", True),
    ("https://user@reuters.com:8443/x", "reuters.com", True),
    ("https://[2001:db8::1]/x", "reuters.com", False),
    ("file:///tmp/article.html", "reuters.com", False),
])
def test_a_domain_holds_for_itself_and_its_subdomains(url: str, domain: str, within: bool) -> None:
    assert (domain_key(domain) in domains_of(url)) is within


@pytest.mark.parametrize(("byline", "name", "by"), [
    ("Jane Doe", "jane doe", True),
    ("JANE DOE", "Jane Doe", True),
    ("José Álvarez", "Jose Alvarez", True),
    ("J.R. Smith", "J. R. Smith", True),
    ("By Jane Doe", "Jane Doe", True),
    ("Jane Doe and John Roe", "John Roe", True),
    ("Jane Doe, John Roe; Ann Lee", "Ann Lee", True),
    ("Jane Doe & John Roe", "Jane Doe", True),
    ("Jane Doe und Hans Meier", "Hans Meier", True),
    ("jane@example.com (Jane Doe)", "Jane Doe", True),
    ("Doe, Jane", "Doe, Jane", True),  # the byline as written counts too
    ("John E Smith", "John E Smith", True),  # an initial is no conjunction
    ("John E Smith", "Smith", False),
    ("Jane Doe", "Doe", False),  # whole names only
    ("Jane Doerr", "Jane Doe", False),
    ("Mary-Jane Doe", "Jane Doe", False),
])
def test_an_author_holds_by_whole_name(byline: str, name: str, by: bool) -> None:
    assert (author_key(name) in authors_of(byline)) is by


def test_no_byline_names_nobody() -> None:
    assert authors_of(None) == frozenset()
    assert authors_of("") == frozenset()
