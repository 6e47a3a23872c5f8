"""Warnings: configs that load and run, but send false alerts or lose true ones.

Each check is a mistake seen in real configs: an alias that is an ordinary word
("us", "a", "may"), one written on two entities, an entity that excludes its own
name, a keyword written as a regex, `$VAR` without braces (only `${VAR}` is
replaced), a URL that is not one, a webhook URL, secret or Kafka password written
in a file, a webhook without a signing secret (unless `unsigned: true`), a route
whose every destination is disabled, a feed on a private address the fetcher will
refuse (by the fetcher's own rule, `worker.addresses`), a host whose feeds ask for more
polls than its pace allows, a feed interval the fetcher clamps to `settings.fetch.min_interval` or
`max_interval`, a mute whose time has passed, matches kept longer than the delivery ledger that says
where their alerts went. `newswatch config check` prints them;
with `--strict` (CI) they fail it.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from worker.addresses import AddressPolicy, URLRefused, fetch_target
from worker.config.alias_length import short_alias
from worker.config.collisions import collision
from worker.config.models import (
    AppriseDestination,
    Config,
    Entity,
    Mutable,
    SlackDestination,
    WebhookDestination,
    phrases,
)
from worker.config.references import every_phrase
from worker.config.yamlsource import Path_
from worker.folding import case_key, phrase_key
from worker.logs import human_duration

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
    warnings += _matches_outlive_the_ledger(config)
    warnings += _routes_without_destination(config)
    warnings += _private_feeds(config)
    warnings += [(path, message) for path, message, _ in over_paced_hosts(config)]
    warnings += _clamped_intervals(config)
    warnings += expired_mutes(config, datetime.now(UTC))
    return warnings


def _entities(config: Config) -> Iterator[Warning_]:
    for wi, watchlist in enumerate(config.watchlists):
        for ei, entity in enumerate(watchlist.entities):
            at: Path_ = ("watchlists", wi, "entities", ei)
            for ai, alias in enumerate(entity.case_sensitive_aliases):
                if why := _cased_alias_trap(alias):
                    yield at + ("case_sensitive_aliases", ai), f"entity {entity.id!r}: {why}"
            for path, alias, languages in _matched_ignoring_case(entity, at):
                if why := _alias_trap(alias, languages):
                    yield path, f"entity {entity.id!r}: {why}"
            yield from _self_exclusions(entity, at)


def _matched_ignoring_case(entity: Entity, at: Path_) -> Iterator[tuple[Path_, str, tuple[str, ...] | None]]:
    """(path, alias, the languages it is matched in; None: every language)."""
    yield at + ("name",), entity.name, None
    for ai, alias in enumerate(entity.aliases):
        if isinstance(alias, str):  # aliases keep their index in the file: a regex rule is skipped
            yield at + ("aliases", ai), alias, None
    for lang, aliases in entity.aliases_by_language.items():
        for ai, alias in enumerate(aliases):
            yield at + ("aliases_by_language", lang, ai), alias, (lang,)


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


def _alias_trap(alias: str, languages: tuple[str, ...] | None) -> str | None:
    if why := short_alias(alias):
        return why
    if phrase_key(alias) in STOP_WORDS:
        found: str | None = f"is the common English word {phrase_key(alias)!r}"
    elif not (found := collision(alias, languages)):
        return None
    where = "in every language" if languages is None else f"in {', '.join(languages)} articles"
    return (f"alias {alias!r} {found}, and is matched ignoring case {where}, so ordinary prose fires "
            f"it; fix it by the first of these that fits: put it under case_sensitive_aliases as "
            f"printed ({alias if alias[:1].isupper() else alias.capitalize()!r}), add exclusions for the "
            f"phrases it fires on, list it under aliases_by_language for the languages it names the "
            f"entity in, or use a longer name")


def _self_exclusions(entity: Entity, at: Path_) -> Iterator[Warning_]:
    scoped = (a for aliases in entity.aliases_by_language.values() for a in aliases)
    own = {phrase_key(p): p for p in (entity.name, *phrases(entity.aliases), *entity.case_sensitive_aliases,
                                      *scoped)}
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
        elif dest.enabled and (why := _unparsable(url)):
            yield (at + ("url",), f"destination {dest.id!r}: {why}, so every alert to it would be a dead "
                                  "letter; give the URL as a browser shows it")
        if at + ("url",) not in from_env:  # whoever has a webhook's URL can post to it: it is a secret
            name = "SLACK_WEBHOOK_URL" if isinstance(dest, SlackDestination) else "ALERT_WEBHOOK_URL"
            yield (at + ("url",), f"destination {dest.id!r}: the webhook URL is a secret written in plain "
                                  f"text in the file; write url: ${{{name}}} and export {name}")
        if isinstance(dest, WebhookDestination):
            yield from _unsigned(dest, at)
            yield from _plain_secrets(dest, at, from_env)


def _kafka_password(config: Config, from_env: set[Path_]) -> Iterator[Warning_]:
    at: Path_ = ("settings", "kafka", "sasl_password")
    password = config.settings.kafka.sasl_password
    if password is not None and password.get_secret_value() and at not in from_env:
        yield (at, "the Kafka SASL password is written in plain text in the file; write "
                   "sasl_password: ${KAFKA_SASL_PASSWORD} and export it")


def _matches_outlive_the_ledger(config: Config) -> Iterator[Warning_]:
    """Past the ledger's marks, `newswatch alerts` can no longer tell a delivered alert from a lost one."""
    kept, marked = config.settings.kafka.retention.matches, config.settings.deliver.sent_ttl
    if kept > marked:
        yield (("settings", "kafka", "retention", "matches"),
               f"matches are kept {human_duration(kept)} but the delivery ledger only "
               f"{human_duration(marked)} (settings.deliver.sent_ttl): `newswatch alerts` would list the "
               f"older alerts as unknown; raise sent_ttl or shorten this")


def _apprise_in_file(dest: AppriseDestination, at: Path_, from_env: set[Path_]) -> Iterator[Warning_]:
    """An Apprise URL names the service and holds its credentials (tokens, passwords, keys)."""
    if at + ("url",) not in from_env:
        yield (at + ("url",), f"destination {dest.id!r}: an Apprise URL holds the service's credentials "
                              "and is written in plain text in the file; write url: ${APPRISE_URL} and "
                              "export it")


def _unsigned(dest: WebhookDestination, at: Path_) -> Iterator[Warning_]:
    """Signatures are the default: a receiver cannot tell a forged alert from a real one without one."""
    if dest.enabled and not dest.unsigned and (dest.secret is None or not dest.secret.get_secret_value()):
        yield (at + ("url",), f"destination {dest.id!r}: webhook without a signing secret, so its receiver "
                              "cannot tell a forged alert from a real one; add secret: "
                              "${ALERT_WEBHOOK_SECRET} (whsec_...), or unsigned: true if it cannot verify")


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


def _unparsable(url: str) -> str | None:
    """Why the HTTP client could not read the URL (by the fetcher's own rule), if it could not."""
    try:
        fetch_target(url)
    except URLRefused as exc:
        return exc.reason
    return None


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
    """A URL the fetcher refuses (`AddressPolicy.check`, its own rule): names are not resolved offline."""
    policy = AddressPolicy(config.settings.http.allow_private_hosts)
    for fi, feed in enumerate(config.feeds):
        try:
            policy.check(feed.url)
        except URLRefused as exc:  # the model refuses URLs that do not parse, so this is an address
            written, host = urlsplit(feed.url).hostname, fetch_target(feed.url).host
            read = f"its host {written} is read as {host} (as resolvers and browsers read it); " \
                if isinstance(host, ipaddress.IPv4Address) and written != str(host) else ""
            yield (("feeds", fi, "url"), f"feed {feed.id!r}: {read}{exc.reason}; the fetcher refuses it")


def over_paced_hosts(config: Config) -> Iterator[tuple[Path_, str, str]]:
    """(path, message, host) for each host whose enabled feeds ask for more polls than
    `fetch.host_interval` lets through (the sum of 1/interval over its feeds above 1/host_interval):
    they are served in turn, each later than its interval says. At the host's most frequent feed."""
    pace = config.settings.fetch.host_interval
    if pace is None:
        return
    hosts: dict[str, list[int]] = {}
    for fi, feed in enumerate(config.feeds):
        if feed.enabled:
            hosts.setdefault(urlsplit(feed.url).hostname or feed.url, []).append(fi)
    for host, indices in hosts.items():
        asked = sum(1.0 / _polled_every(config, config.feeds[i].interval) for i in indices)
        if asked * pace <= 1.0:
            continue
        busiest = min(indices, key=lambda i: config.feeds[i].interval)
        cycle = len(indices) * pace
        yield (("feeds", busiest, "interval"),
               f"host {host}: {len(indices)} enabled feed(s) ask for {asked * pace:.1f} times the polls that "
               f"settings.fetch.host_interval ({pace:g} s between requests) allows; they are served in "
               f"turn, each up to {cycle:g} s late. Lengthen their intervals (to {cycle:g} s or more), "
               f"move feeds off the host, or shorten settings.fetch.host_interval if the host allows it",
               host)


def _polled_every(config: Config, interval: float) -> float:
    """The shortest interval the fetcher polls a feed at: adaptive intervals never go below the floor."""
    fetch = config.settings.fetch
    return max(interval, fetch.min_interval) if fetch.adaptive else interval


def _clamped_intervals(config: Config) -> Iterator[Warning_]:
    """A feed interval outside [min_interval, max_interval] is polled at the bound instead (the adaptive
    interval is clamped to it), so the file would say one cadence and the fetcher keep another."""
    fetch = config.settings.fetch
    if not fetch.adaptive:
        return
    for fi, feed in enumerate(config.feeds):
        if feed.enabled and feed.interval < fetch.min_interval:
            yield (("feeds", fi, "interval"),
                   f"feed {feed.id!r}: interval {feed.interval:g} s is below settings.fetch.min_interval "
                   f"({fetch.min_interval:g} s), so it is polled every {fetch.min_interval:g} s at most; "
                   f"lower settings.fetch.min_interval to poll it that often, or lengthen its interval")
        elif feed.enabled and feed.interval > fetch.max_interval:
            yield (("feeds", fi, "interval"),
                   f"feed {feed.id!r}: interval {feed.interval:g} s is above settings.fetch.max_interval "
                   f"({fetch.max_interval:g} s), so it is polled every {fetch.max_interval:g} s at least; "
                   f"raise settings.fetch.max_interval, or shorten its interval")


def expired_mutes(config: Config, now: datetime) -> Iterator[Warning_]:
    """A `muted_until` that has passed mutes nothing any more: it only misleads whoever reads the file."""
    muted: list[tuple[Path_, str, Mutable]] = []
    for wi, watchlist in enumerate(config.watchlists):
        muted.append((("watchlists", wi), f"watchlist {watchlist.id!r}", watchlist))
        muted += [(("watchlists", wi, "entities", ei), f"entity {e.id!r}", e)
                  for ei, e in enumerate(watchlist.entities)]
    muted += [(("routes", ri), f"route {r.id!r}", r) for ri, r in enumerate(config.routes)]
    for at, what, item in muted:
        if item.muted_until is not None and item.muted_until <= now:
            yield ((*at, "muted_until"), f"{what}: the mute ended at {item.muted_until.isoformat()}, so it "
                                         f"holds nothing back any more; remove muted_until"
                                         f"{' and mute_reason' if item.mute_reason else ''}")
