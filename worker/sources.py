"""Where an article comes from, in the forms routes compare: its domain and its authors' names.

A domain is compared in one spelling whatever way it was written, in the config or in
a URL: lower case, no trailing dot, IDNA's ASCII form (`bücher.de` and
`xn--bcher-kva.de` are one domain), and a leading `www.` dropped, because a site
and its `www.` host are one outlet to a reader. A route's domain holds for the host
itself and every host under it: `reuters.com` holds for `www.reuters.com` and
`markets.reuters.com`, never for `notreuters.com`. So an article's domains are
the suffixes of its host, and a route's domain holds when it is one of them: a
set lookup, like every other clause.

An author holds by whole name, compared folded (case, accents and punctuation
aside: "José Álvarez" is "jose alvarez", "J.R. Smith" is "J. R. Smith"). A byline
often names several people ("Jane Doe, John Roe", "Jane Doe and John Roe",
"By Jane Doe"), so each name in it counts, and so does the byline as written, for
the feeds that write "Doe, Jane".
"""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import urlsplit

from worker.folding import phrase_key
from worker.links import LinkError, wire_host

_DOMAIN_SHAPE = re.compile(r"^[^\s/:@?#*]+$")
# separators of names in a byline; conjunctions in lower case only, so an initial ("John E Smith") stays
_NAME_SEPARATORS = re.compile(r"\s*[,;&|/+]\s*|\s+(?:and|und|et|y|e|i|og|och|en)\s+")
_BY = re.compile(r"^\s*by\s+", re.IGNORECASE)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def domain_key(domain: str) -> str:
    """The one spelling of a domain a route names; raises ValueError saying what to write instead."""
    written = domain.strip()
    try:
        ipaddress.ip_address(written.strip("[]"))
    except ValueError:
        pass
    else:
        raise ValueError(f"{domain!r} is an IP address; name the site's domain, e.g. 'reuters.com'")
    if written.startswith("*."):
        raise ValueError(f"{domain!r}: a domain takes in its subdomains already; write '{written[2:]}'")
    if "://" in written or not _DOMAIN_SHAPE.match(written):
        host = urlsplit(written if "://" in written else f"//{written}").hostname
        hint = f"write the host name alone: '{_without_www(host)}'" if host and _DOMAIN_SHAPE.match(host) \
            else "write the host name alone, e.g. 'reuters.com' (its subdomains are included)"
        raise ValueError(f"{domain!r} is not a domain; {hint}")
    try:
        key = _without_www(wire_host(written.lower()))
    except LinkError:
        raise ValueError(f"{domain!r} is not a valid host name: write labels of letters, digits and "
                         "'-' (at most 63 each, no '-' at either end) separated by dots, "
                         "e.g. 'reuters.com'") from None
    if "." not in key:
        raise ValueError(f"{domain!r} is a top-level domain alone, which would take in every site under it; "
                         "name the site, e.g. 'reuters.com'")
    return key


def domains_of(url: str) -> frozenset[str]:
    """Every domain the article at `url` is under: its host's suffixes ("a.b.com": a.b.com, b.com, com)."""
    try:
        host = _without_www(wire_host((urlsplit(url).hostname or "").lower()))
    except (LinkError, ValueError):
        return frozenset()
    if host.startswith("[") or host.replace(".", "").isdigit():  # an address has no parent domains
        return frozenset((host,))
    labels = host.split(".")
    return frozenset(".".join(labels[n:]) for n in range(len(labels)))


def host_of(url: str) -> str | None:
    """The host of `url` as written there, for explanations."""
    try:
        return urlsplit(url).hostname
    except ValueError:
        return None


def author_key(name: str) -> str:
    """The one spelling of a name an author clause compares: folded tokens, one space apart."""
    return phrase_key(_BY.sub("", name))


def authors_of(byline: str | None) -> frozenset[str]:
    """The names of a byline, each in its compared form, and the byline itself."""
    if not byline:
        return frozenset()
    text = _EMAIL.sub(" ", byline).replace("(", ",").replace(")", ",")
    names = {author_key(part) for part in _NAME_SEPARATORS.split(_BY.sub("", text))}
    return frozenset(names | {author_key(byline)}) - {""}


def _without_www(host: str) -> str:
    return host[4:] if host.startswith("www.") and host.count(".") > 1 else host
