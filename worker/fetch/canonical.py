"""Canonical URLs and stable entry ids: the same story gets the same id however a feed links it.

Feeds decorate links with campaign parameters (utm_*, fbclid...) that change
from one poll or one syndication to the next; without them, and with case and
default ports normalised, two links to one page compare equal. The entry id
is the hash of the guid when the feed gives one (guids are meant to be
permanent), else of the canonical link. Links reach here through
`worker.links.safe_link`; a guid that looks like a URL but is none
(`http://[oops/`) is an opaque id like any other, never an error.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from worker.links import LinkError, safe_link
from worker.records import stable_id

TRACKING = re.compile(
    r"^(utm_|mc_|pk_|hsa_|oly_|vero_|ga_)|"
    r"^(fbclid|gclid|dclid|gbraid|wbraid|msclkid|igshid|yclid|twclid|ttclid|_ga|_gl|mkt_tok|"
    r"ref_src|ref_url|cmpid|ncid|ocid|smid|spm|at_medium|at_campaign|CMP)$",
    re.IGNORECASE)
_DEFAULT_PORTS = {"http": 80, "https": 443}


def canonical_url(url: str) -> str:
    """Lower-case scheme and host, no default port, no fragment, no tracking parameters.

    `url` is a safe link (`worker.links.safe_link`), so it parses; the result is one too.
    """
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").rstrip(".")
    if ":" in host:
        host = f"[{host}]"
    try:
        port = parts.port
    except ValueError:
        port = None
    netloc = host if port in (None, _DEFAULT_PORTS.get(scheme)) else f"{host}:{port}"
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not TRACKING.match(k)]
    return urlunsplit((scheme, netloc, parts.path or "/", urlencode(query), ""))


def entry_id(guid: str | None, link: str) -> str:
    """The stable article id: of the guid (canonicalised when it is a URL), else of the link."""
    guid = (guid or "").strip()
    if not guid:
        return stable_id(canonical_url(link))
    if guid.lower().startswith(("http://", "https://")):
        try:
            return stable_id(canonical_url(safe_link(guid)))
        except LinkError:
            pass  # not a URL after all: the guid's text is the id
    return stable_id(guid)


def feed_host(url: str) -> str:
    """The host a feed's requests go to, for the per-host pace."""
    return urlsplit(url).hostname or url
