"""Warnings: configs that load and run, but send false alerts or lose true ones.

Each check is a mistake seen in real configs: an alias that is an ordinary word
("us", "a", "may"), one written on two entities, an entity that excludes its own
name, a keyword written as a regex, `$VAR` without braces (only `${VAR}` is
replaced), a URL that is not one, a webhook URL, secret or Kafka password written
in a file, a route whose every destination is disabled, a feed on a private
address the fetcher will refuse. `newswatch config check` prints them; with `--strict` (CI) they fail it.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterator, Mapping, Sequence
from typing import Any
from urllib.parse import urlsplit

from worker.config.models import (
    AppriseDestination,
    Config,
    Entity,
    Pattern,
    SlackDestination,
    WebhookDestination,
    phrases,
)
from worker.config.references import every_phrase
from worker.config.yamlsource import Path_
from worker.folding import case_key, phrase_key

Warning_ = tuple[Path_, str]
# The lists whose items may be {regex: ...} rules (models.Rule); triggers may not.
_RULE_LISTS = ("aliases", "exclusions", "all", "any", "none")
# English function words: an alias that is one of these fires on ordinary prose.
STOP_WORDS = frozenset("""
a about above after again against all am an and any are as at be because been before being below
between both but by can could did do does doing down during each few for from further had has have
having he her here hers herself him himself his how i if in into is it its itself just me more most
my myself no nor not now of off on once only or other our ours out over own same she should so some
such than that the their theirs them then there these they this those through to too under until up
us very was we were what when where which while who whom why will with would you your yours
may might must shall one two new
""".split())
_REGEX = re.compile(r"\\[dwsbDWSB.]|\.\*|\.\+|\(\?|[?*+]\)?$|\w[?*+]\w|\||\[[^\]\s]+\]|^\^|\$$|\{\d")
_BARE_VAR = re.compile(r"(?<![$\w])\$([A-Za-z_][A-Za-z0-9_]*)")
_UNCLOSED = re.compile(r"\$\{[A-Za-z_][A-Za-z0-9_]*(?::-[^}]*)?$")
_SECRET_HEADER = re.compile(r"auth|token|key|secret|signature|cookie", re.IGNORECASE)


def lint(config: Config, data: Mapping[str, Any], from_env: set[Path_]) -> list[Warning_]:
    """Every warning, as (key path, message); `data` is the merged YAML, `from_env` the `${VAR}` paths."""
    warnings: list[Warning_] = []
    warnings += _entities(config)
    warnings += _duplicate_aliases(config)
    warnings += _regex_like(config)
    bare = list(_bare_variables(data, (), from_env))
    warnings += bare
    warnings += _destinations(config, from_env, {path[:2] for path, _ in bare})
    warnings += _kafka_password(config, from_env)
    warnings += _routes_without_destination(config)
    warnings += _private_feeds(config)
    return warnings


def _entities(config: Config) -> Iterator[Warning_]:
    for wi, watchlist in enumerate(config.watchlists):
        for ei, entity in enumerate(watchlist.entities):
            at: Path_ = ("watchlists", wi, "entities", ei)
            for ai, alias in enumerate(entity.case_sensitive_aliases):
                if why := _cased_alias_trap(alias):
                    yield at + ("case_sensitive_aliases", ai), f"entity {entity.id!r}: {why}"
            rules: Sequence[str | Pattern]
            for key, rules in (("name", [entity.name]), ("aliases", entity.aliases)):
                # aliases keep their index in the file: a regex rule is skipped, not removed
                for ai, rule in enumerate(rules):
                    if isinstance(rule, str) and (why := _alias_trap(rule)):
                        yield (at + ((key,) if key == "name" else (key, ai)),
                               f"entity {entity.id!r}: {why}")
            yield from _self_exclusions(entity, at)


def _cased_alias_trap(alias: str) -> str | None:
    letters = [ch for ch in alias if ch.isalpha()]
    if letters and not any(ch.isupper() for ch in letters):
        return (f"case-sensitive alias {alias!r} has no capital letter, so it matches the ordinary "
                f"lower-case word (\"let us go\", \"what is left\"); write it as printed (e.g. "
                f"{alias.upper()!r}) or remove it")
    if len(letters) == 1:
        return (f"case-sensitive alias {alias!r} is one letter: it matches every capital {alias!r} "
                f"(a sentence's first word, initials); use a longer name")
    if len(letters) == 2 and not alias.isupper():
        return (f"case-sensitive alias {alias!r} is two letters not all in capitals, so it matches the "
                f"word that starts a sentence (\"{alias} it true?\"); write the acronym in capitals "
                f"(e.g. {alias.upper()!r}) or remove it")
    if phrase_key(alias) in STOP_WORDS and not alias.isupper():
        return (f"case-sensitive alias {alias!r} is a common word that starts sentences; "
                f"use the full name, or the acronym in capitals")
    return None


def _alias_trap(alias: str) -> str | None:
    key = phrase_key(alias)
    if len(alias.strip()) <= 2 and alias.strip().isalnum():  # "U.S." is distinctive; "us" is not
        return (f"alias {alias!r} has one or two letters and is matched ignoring case, so ordinary words "
                f"fire it (\"a\", \"us\", \"is\"); put an acronym under case_sensitive_aliases in "
                f"capitals, or remove it")
    if key in STOP_WORDS:
        return (f"alias {alias!r} is a common English word and is matched ignoring case, so ordinary "
                f"prose fires it; remove it or use the full name")
    return None


def _self_exclusions(entity: Entity, at: Path_) -> Iterator[Warning_]:
    own = {phrase_key(p): p for p in (entity.name, *phrases(entity.aliases), *entity.case_sensitive_aliases)}
    for xi, phrase in enumerate(entity.exclusions):
        if isinstance(phrase, str) and phrase_key(phrase) in own:
            yield (at + ("exclusions", xi),
                   f"entity {entity.id!r}: exclusion {phrase!r} is the entity's own name "
                   f"({own[phrase_key(phrase)]!r}), so it vetoes every mention; exclude a longer "
                   f"phrase that holds the name (e.g. 'Paris Hilton' for Paris), or remove it")


def _duplicate_aliases(config: Config) -> Iterator[Warning_]:
    """The same words on two entities count for both; almost always a copy-paste."""
    first: dict[str, str] = {}
    for wi, watchlist in enumerate(config.watchlists):
        for ei, entity in enumerate(watchlist.entities):
            at: Path_ = ("watchlists", wi, "entities", ei)
            phrases = [(at + ("name",), False, entity.name),
                       *((at + ("aliases", i), False, a) for i, a in enumerate(entity.aliases)
                         if isinstance(a, str)),
                       *((at + ("case_sensitive_aliases", i), True, a)
                         for i, a in enumerate(entity.case_sensitive_aliases))]
            seen_here: set[str] = set()
            for path, cased, phrase in phrases:
                folded = case_key(phrase) if cased else phrase_key(phrase)
                owner = first.setdefault(folded, entity.id)
                if owner != entity.id and folded not in seen_here:
                    yield (path, f"entity {entity.id!r}: {phrase!r} also names entity {owner!r}, so every "
                                 f"mention counts for both; keep it on one of them")
                seen_here.add(folded)


def _regex_like(config: Config) -> Iterator[Warning_]:
    for path, owner, phrase in every_phrase(config):
        if path[-1] != "name" and _REGEX.search(phrase):
            fix = (f"to match it as a regex write the item as {{regex: {_quoted(phrase)}}}, or list each "
                   f"spelling" if path[-2] in _RULE_LISTS else "list each spelling")
            yield (path, f"{owner}: {phrase!r} looks like a regular expression, but a plain phrase is "
                         f"matched literally; {fix} instead (e.g. [rumour, rumor])")


def _quoted(text: str) -> str:
    """`text` as a YAML single-quoted scalar, which keeps backslashes as typed."""
    return "'" + text.replace("'", "''") + "'"


def _bare_variables(value: Any, path: Path_, from_env: set[Path_]) -> Iterator[Warning_]:
    """`$VAR` is kept as written (only `${VAR}` is replaced): a URL of "$SLACK_WEBHOOK_URL" fails late."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _bare_variables(item, path + (key,), from_env)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _bare_variables(item, path + (index,), from_env)
    elif isinstance(value, str) and (m := _BARE_VAR.search(value)) and path not in from_env:
        yield (path, f"${m.group(1)} is not replaced (only ${{{m.group(1)}}} is); "
                     f"write ${{{m.group(1)}}}")
    elif isinstance(value, str) and _UNCLOSED.search(value):
        yield (path, "'${' without its closing '}' is not replaced; write ${NAME}")


def _destinations(config: Config, from_env: set[Path_], bare: set[Path_]) -> Iterator[Warning_]:
    for di, dest in enumerate(config.destinations):
        if isinstance(dest, AppriseDestination) and ("destinations", di) not in bare:
            yield from _apprise_in_file(dest, ("destinations", di), from_env)
        if not isinstance(dest, SlackDestination | WebhookDestination) or ("destinations", di) in bare:
            continue
        at: Path_ = ("destinations", di)
        url = dest.url.get_secret_value()
        if dest.enabled and not _is_http_url(url):
            source = "the value of its variable" if at + ("url",) in from_env else "it"
            yield (at + ("url",), f"destination {dest.id!r}: url is not an http(s) URL ({source} starts "
                                  f"{url[:8]!r}...), so every alert to it would fail; give the full URL")
        plain = at + ("url",) not in from_env
        if plain and (isinstance(dest, SlackDestination) or _has_credentials(url)):
            name = "SLACK_WEBHOOK_URL" if isinstance(dest, SlackDestination) else "ALERT_WEBHOOK_URL"
            yield (at + ("url",), f"destination {dest.id!r}: the webhook URL is a secret written in plain "
                                  f"text in the file; write url: ${{{name}}} and export {name}")
        if isinstance(dest, WebhookDestination):
            yield from _plain_secrets(dest, at, from_env)


def _kafka_password(config: Config, from_env: set[Path_]) -> Iterator[Warning_]:
    at: Path_ = ("settings", "kafka", "sasl_password")
    password = config.settings.kafka.sasl_password
    if password is not None and password.get_secret_value() and at not in from_env:
        yield (at, "the Kafka SASL password is written in plain text in the file; write "
                   "sasl_password: ${KAFKA_SASL_PASSWORD} and export it")


def _apprise_in_file(dest: AppriseDestination, at: Path_, from_env: set[Path_]) -> Iterator[Warning_]:
    """An Apprise URL names the service and holds its credentials (tokens, passwords, keys)."""
    if at + ("url",) not in from_env:
        yield (at + ("url",), f"destination {dest.id!r}: an Apprise URL holds the service's credentials "
                              "and is written in plain text in the file; write url: ${APPRISE_URL} and "
                              "export it")


def _plain_secrets(dest: WebhookDestination, at: Path_, from_env: set[Path_]) -> Iterator[Warning_]:
    if dest.secret is not None and at + ("secret",) not in from_env and dest.secret.get_secret_value():
        yield (at + ("secret",), f"destination {dest.id!r}: the signing secret is written in plain text "
                                 f"in the file; write secret: ${{ALERT_WEBHOOK_SECRET}} and export it")
    for header in dest.headers:
        if _SECRET_HEADER.search(header) and at + ("headers", header) not in from_env:
            yield (at + ("headers", header), f"destination {dest.id!r}: header {header} looks like a "
                                             f"credential written in plain text; take it from ${{ENV_VAR}}")


def _is_http_url(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def _has_credentials(url: str) -> bool:
    parts = urlsplit(url)
    return bool(parts.password) or "hooks.slack.com" in url or bool(
        re.search(r"(?:^|&)(?:token|key|sig|secret|code)=", parts.query, re.IGNORECASE))


def _routes_without_destination(config: Config) -> Iterator[Warning_]:
    enabled = {d.id for d in config.destinations if d.enabled}
    known = {d.id for d in config.destinations}
    for ri, route in enumerate(config.routes):
        if route.enabled and not enabled.intersection(route.to) and known.issuperset(route.to):
            why = "; ".join(f"{d}: {config.disabled_reason(d)}" for d in route.to)
            yield (("routes", ri, "to"), f"route {route.id!r} has no enabled destination ({why}); its "
                                         f"alerts are dead-lettered until one is enabled, then "
                                         f"`newswatch dlq replay` sends them")


def _private_feeds(config: Config) -> Iterator[Warning_]:
    """An IP literal or localhost the fetcher would refuse; names are not resolved offline."""
    from worker.clients.http import AddressPolicy

    policy = AddressPolicy(config.settings.http.allow_private_hosts)
    for fi, feed in enumerate(config.feeds):
        host = urlsplit(feed.url).hostname or ""
        try:
            address = ipaddress.ip_address("127.0.0.1" if host == "localhost" else host)
        except ValueError:
            continue
        try:
            policy.check(host, address)
        except Exception:  # the policy's own refusal (a private class of the HTTP client)
            yield (("feeds", fi, "url"), f"feed {feed.id!r}: {host} is a private address, which the fetcher "
                                         f"refuses; add {host!r} to settings.http.allow_private_hosts if "
                                         f"the feed is yours")
