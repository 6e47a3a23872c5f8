# ruff: noqa: E501 - a table: each case reads best with its YAML edit on one line
"""Broken configs, one mistake each, with the exact line `config check` must print for it.

Each case is the base config below with one file replaced. `{dir}` stands for the
config folder. Errors fail the check; warnings fail it only with --strict.
"""

from __future__ import annotations

from dataclasses import dataclass, field

BASE = {
    "feeds.yaml": """
        feeds:
          - id: wire
            url: https://example.org/feed.xml
            interval: 5m
            tags: [world]
        """,
    "watch.yaml": """
        watchlists:
          - id: groups
            name: Groups
            entities:
              - id: islamic-state
                name: Islamic State
                kind: group
                case_sensitive_aliases: [IS, ISIS]
              - id: hezbollah
                name: Hezbollah
                aliases: [Hizbollah]
        event_types:
          - id: armed-conflict
            name: Armed conflict
            triggers: [capture, seize]
        """,
    "routes.yaml": """
        routes:
          - id: conflict
            when:
              entities: {any: [islamic-state]}
              event_types: {any: [armed-conflict]}
              keywords: {none: [rumour, opinion]}
            to: [console, slack]
        destinations:
          - id: console
            type: console
          - id: slack
            type: slack
            url: ${SLACK_WEBHOOK_URL}
            optional: true
        """,
}
ENV = {"SLACK_WEBHOOK_URL": "https://hooks.slack.com/services/T1/B2/abcdefabcdef"}


@dataclass(frozen=True)
class Case:
    id: str
    file: str
    old: str  # replaced in BASE[file] by `new`
    new: str
    expected: str  # the one line config check prints for it
    warning: bool = False
    env: dict[str, str] = field(default_factory=dict)


_FIX = ("fix it by the first of these that fits: put it under case_sensitive_aliases as printed ({printed}), "
        "add exclusions for the phrases it fires on, list it under aliases_by_language for the languages it "
        "names the entity in, or use a longer name")
R = "routes.yaml"
_READ = "its host {} is read as 127.0.0.1 (as resolvers and browsers read it); "
# (case, url, how its host is read, what is named, why the address is not public): config check and
# the fetcher judge these by one rule (worker/addresses.py; the fetcher's side: tests/clients/test_http.py)
_ADDRESS_TRAPS = [
    ("dotted", "http://127.0.0.1/rss", "", "127.0.0.1 is", "loopback"),
    ("short", "http://127.1/rss", _READ.format("127.1"), "127.0.0.1 is", "loopback"),
    ("hex", "http://0x7f000001/rss", _READ.format("0x7f000001"), "127.0.0.1 is", "loopback"),
    ("octal", "http://0177.0.0.1/rss", _READ.format("0177.0.0.1"), "127.0.0.1 is", "loopback"),
    ("decimal", "http://2130706433/rss", _READ.format("2130706433"), "127.0.0.1 is", "loopback"),
    ("mapped", "http://[::ffff:127.0.0.1]/rss", "", "[::ffff:7f00:1] is",
     "the IPv4-mapped form of 127.0.0.1, loopback"),
    ("6to4", "http://[2002:7f00:1::]/rss", "", "[2002:7f00:1::] is", "the 6to4 form of 127.0.0.1, loopback"),
    ("nat64", "http://[64:ff9b::7f00:1]/rss", "", "[64:ff9b::7f00:1] is", "the NAT64 form of 127.0.0.1, loopback"),
    ("compatible", "http://[::127.0.0.1]/rss", "", "[::7f00:1] is",
     "the IPv4-compatible form of 127.0.0.1, loopback"),
    ("link-local", "http://169.254.169.254/latest/", "", "169.254.169.254 is", "link-local"),
    ("unique-local", "http://[fd12::1]/rss", "", "[fd12::1] is", "private"),
    ("multicast", "http://239.1.2.3/rss", "", "239.1.2.3 is", "multicast"),
    ("unspecified", "http://0.0.0.0/rss", "", "0.0.0.0 is", "unspecified"),
    ("cgnat", "http://100.64.0.1/rss", "", "100.64.0.1 is", "shared, carrier-grade NAT"),
    ("this-network", "http://0.1.2.3/rss", "", "0.1.2.3 is", "private"),
    ("localhost", "http://feeds.localhost/rss", "", "feeds.localhost resolves to 127.0.0.1,", "loopback"),
]
_UNPARSABLE = [
    ("octal-9", "http://1.2.3.09/rss", "the host '1.2.3.09' ends in a number but is not an IPv4 address"),
    ("port", "http://example.org:99999/rss", "the URL does not parse (Port out of range 0-65535)"),
]
W = "watch.yaml"
F = "feeds.yaml"
CASES = [
    # --- phrases the matcher would refuse at `run`: refused here first, at their line
    Case("empty-keyword", R, "none: [rumour, opinion]", 'none: [rumour, "", opinion]',
         "{dir}/routes.yaml:6: routes[0].when.keywords.none[1]: route 'conflict': an empty phrase matches "
         "nothing; remove the empty item"),
    Case("punctuation-keyword", R, "none: [rumour, opinion]", 'none: [rumour, "--"]',
         "{dir}/routes.yaml:6: routes[0].when.keywords.none[1]: route 'conflict': '--' has no letter or digit "
         "left once folded for matching, so it can never match; remove it or write it out in letters"),
    Case("punctuation-trigger", W, "triggers: [capture, seize]", 'triggers: [capture, "--"]',
         "{dir}/watch.yaml:15: event_types[0].triggers[1]: event type 'armed-conflict': '--' has no letter "
         "or digit left once folded for matching, so it can never match; remove it or write it out in letters"),
    Case("symbol-exact-trigger", W, "triggers: [capture, seize]", 'triggers: [capture]\n    exact_triggers: ["\u2022"]',
         "{dir}/watch.yaml:16: event_types[0].exact_triggers[0]: event type 'armed-conflict': '\u2022' has no "
         "letter or digit left once folded for matching, so it can never match; remove it or write it out in "
         "letters"),
    Case("punctuation-language-alias", W, "aliases: [Hizbollah]", 'aliases_by_language: {ar: ["--"]}',
         "{dir}/watch.yaml:11: watchlists[0].entities[1].aliases_by_language.ar[0]: entity 'hezbollah': '--' "
         "has no letter or digit left once folded for matching, so it can never match; remove it or write it "
         "out in letters"),
    Case("blank-cased-alias", W, "[IS, ISIS]", "[IS, '   ']",
         "{dir}/watch.yaml:8: watchlists[0].entities[0].case_sensitive_aliases[1]: entity 'islamic-state': an "
         "empty phrase matches nothing; remove the empty item"),
    Case("punctuation-name", W, "name: Hezbollah", 'name: "***"',
         "{dir}/watch.yaml:10: watchlists[0].entities[1].name: entity 'hezbollah': '***' has no letter or "
         "digit left once folded for matching, so it can never match; remove it or write it out in letters"),
    Case("punctuation-exclusion", W, "aliases: [Hizbollah]", 'aliases: [Hizbollah]\n        exclusions: ["()"]',
         "{dir}/watch.yaml:12: watchlists[0].entities[1].exclusions[0]: entity 'hezbollah': '()' has no "
         "letter or digit left once folded for matching, so it can never match; remove it or write it out in "
         "letters"),
    # --- YAML surprises
    Case("yaml-no-is-false", F, "tags: [world]", "tags: [world, no]",
         "{dir}/feeds.yaml:5: feeds[0].tags[1]: feed 'wire': YAML read the unquoted word no as the boolean "
         "false (no, yes, on, off, true and false all are); quote it to mean the word: 'no'"),
    Case("yaml-off-is-false", F, "interval: 5m", "interval: 5m\n    name: off",
         "{dir}/feeds.yaml:5: feeds[0].name: feed 'wire': YAML read the unquoted word off as the boolean "
         "false (no, yes, on, off, true and false all are); quote it to mean the word: 'off'"),
    Case("yaml-number-tag", F, "tags: [world]", "tags: [world, 1984]",
         "{dir}/feeds.yaml:5: feeds[0].tags[1]: feed 'wire': must be text, not a number 1984; quote it: '1984'"),
    Case("stray-quote-no-cascade", W, "aliases: [Hizbollah]", 'aliases: ["Hizbollah]',
         "{dir}/watch.yaml:11: invalid YAML: found unexpected end of stream while scanning a quoted scalar "
         "that starts here (a quote or bracket left open?); fix the syntax (indentation, quotes, colons); "
         "references to what this file defines are checked once it reads"),
    Case("tab-indent", F, "    interval: 5m", "\tinterval: 5m",
         "{dir}/feeds.yaml:4: invalid YAML: found character '\\t' that cannot start any token; fix the syntax "
         "(indentation, quotes, colons); references to what this file defines are checked once it reads"),
    Case("key-twice", F, "    tags: [world]", "    tags: [world]\n    interval: 10m",
         "{dir}/feeds.yaml:6: feeds[0].interval: key written twice; keep one"),
    Case("file-is-a-list", F, "feeds:\n", "- feeds:\n",
         "{dir}/feeds.yaml:1: the file must be a mapping of sections (settings, feeds, watchlists, "
         "event_types, routes, destinations); found list"),
    Case("section-not-a-list", F, "  - id: wire", "    id: wire",
         "{dir}/feeds.yaml:1: feeds: must be a list (items start with '- ')"),
    Case("unknown-section", F, "feeds:", "feedz:",
         "{dir}/feeds.yaml:1: feedz: unknown section (did you mean 'feeds'?); use one of settings, feeds, "
         "watchlists, event_types, routes, destinations"),
    # --- shapes and values, in plain words
    Case("destination-type-teams", R, "type: slack", "type: teams",
         "{dir}/routes.yaml:12: destinations[1].type: destination 'slack': type 'teams' is not a destination "
         "type; use console, slack, webhook or apprise"),
    Case("destination-type-typo", R, "type: slack", "type: slak",
         "{dir}/routes.yaml:12: destinations[1].type: destination 'slack': type 'slak' is not a destination "
         "type (did you mean 'slack'?); use console, slack, webhook or apprise"),
    Case("destination-no-type", R, "    type: console\n", "",
         "{dir}/routes.yaml:9: destinations[0]: destination 'console': has no type; add type: console, "
         "slack or webhook"),
    Case("unknown-key", F, "interval: 5m", "intervall: 5m",
         "{dir}/feeds.yaml:4: feeds[0].intervall: feed 'wire': unknown key (did you mean 'interval'?); remove "
         "it or correct its spelling; allowed here: enabled, id, interval, name, tags, url"),
    Case("unknown-clause", R, "entities: {any: [islamic-state]}", "entity: {any: [islamic-state]}",
         "{dir}/routes.yaml:4: routes[0].when.entity: route 'conflict': unknown key (did you mean "
         "'entities'?); remove it or correct its spelling; allowed here: authors, domains, entities, event_types, "
         "feed_tags, feeds, keywords, languages, min_score, watchlists"),
    Case("languages-all", R, "entities: {any: [islamic-state]}",
         "entities: {any: [islamic-state]}\n      languages: {all: [de, fr]}",
         "{dir}/routes.yaml:5: routes[0].when.languages: route 'conflict': an article is in one language, so "
         "'all' of several never holds: write 'any: [de, fr]' for articles in any of them"),
    Case("language-code", R, "entities: {any: [islamic-state]}",
         "entities: {any: [islamic-state]}\n      languages: {none: [ru, ger]}",
         "{dir}/routes.yaml:5: routes[0].when.languages.none[1]: route 'conflict': 'ger' is not an ISO 639-1 "
         "language code: for German write 'de'"),
    Case("when-is-a-list", R,
         "    when:\n      entities: {any: [islamic-state]}\n      event_types: {any: [armed-conflict]}\n"
         "      keywords: {none: [rumour, opinion]}\n", "    when: [islamic-state]\n",
         "{dir}/routes.yaml:3: routes[0].when: route 'conflict': must be a mapping of keys (authors, domains, "
         "entities, event_types, feed_tags, feeds, keywords, languages, min_score, watchlists), not a list; write "
         "'key: value' lines under it"),
    Case("terms-not-a-list", R, "entities: {any: [islamic-state]}", "entities: {any: islamic-state}",
         "{dir}/routes.yaml:4: routes[0].when.entities.any: route 'conflict': must be a list, not text "
         "'islamic-state'; write [a, b] or one '- item' a line"),
    Case("terms-bare-list", R, "entities: {any: [islamic-state]}", "entities: [islamic-state]",
         "{dir}/routes.yaml:4: routes[0].when.entities: route 'conflict': must say how the ids combine, not be a "
         "bare list; write {any: [islamic-state]} (or all: / none:)"),
    Case("kind-typo", W, "kind: group", "kind: organization",
         "{dir}/watch.yaml:7: watchlists[0].entities[0].kind: entity 'islamic-state': 'organization' is not "
         "one of organisation, person, place, country, group, product, other (did you mean 'organisation'?)"),
    Case("bad-id", F, "id: wire", "id: Wire Feed",
         "{dir}/feeds.yaml:2: feeds[0].id: feed 'Wire Feed': 'Wire Feed' is not a valid id; use lower-case "
         "letters, digits, '-', '_' or '.', starting with a letter or digit (e.g. 'wire-feed')"),
    Case("bad-duration", F, "interval: 5m", "interval: soon",
         "{dir}/feeds.yaml:4: feeds[0].interval: feed 'wire': 'soon' is not a duration; write seconds or "
         "e.g. '30s', '5m', '2h', '1d'"),
    Case("negative-weight", W, "kind: group", "kind: group\n        weight: -1",
         "{dir}/watch.yaml:8: watchlists[0].entities[0].weight: entity 'islamic-state': must be greater than "
         "0, not -1"),
    Case("not-a-bool", F, "interval: 5m", "interval: 5m\n    enabled: maybe",
         "{dir}/feeds.yaml:5: feeds[0].enabled: feed 'wire': must be true or false, not 'maybe'"),
    Case("ftp-url", F, "url: https://example.org/feed.xml", "url: ftp://example.org/feed.xml",
         "{dir}/feeds.yaml:3: feeds[0].url: feed 'wire': must start with http:// or https:// followed by a host"),
    Case("entity-without-name", W, "        name: Hezbollah\n", "",
         "{dir}/watch.yaml:9: watchlists[0].entities[1].name: entity 'hezbollah': is required; add it"),
    Case("route-to-nothing", R, "to: [console, slack]", "to: []",
         "{dir}/routes.yaml:7: routes[0].to: route 'conflict': is empty; add at least one item"),
    # --- references, with a did-you-mean
    Case("event-type-typo", R, "any: [armed-conflict]", "any: [armed-confict]",
         "{dir}/routes.yaml:5: routes[0].when.event_types.any[0]: route 'conflict': no event type "
         "'armed-confict' (did you mean 'armed-conflict'?); use a defined id (known: armed-conflict)"),
    Case("entity-unknown", R, "any: [islamic-state]", "any: [islamic-stat]",
         "{dir}/routes.yaml:4: routes[0].when.entities.any[0]: route 'conflict': no entity 'islamic-stat' "
         "(did you mean 'islamic-state'?); use a defined id (known: hezbollah, islamic-state)"),
    Case("destination-typo", R, "to: [console, slack]", "to: [console, slak]",
         "{dir}/routes.yaml:7: routes[0].to[1]: route 'conflict': no destination 'slak' (did you mean "
         "'slack'?); define it under destinations or fix the id (known: console, slack)"),
    Case("watchlist-unknown", R, "event_types: {any: [armed-conflict]}", "watchlists: {any: [companies]}",
         "{dir}/routes.yaml:5: routes[0].when.watchlists.any[0]: route 'conflict': no watchlist 'companies'; "
         "use a defined id (known: groups)"),
    Case("no-condition", R,
         "      entities: {any: [islamic-state]}\n      event_types: {any: [armed-conflict]}\n", "",
         "{dir}/routes.yaml:3: routes[0].when: route 'conflict': no all/any condition, so it would alert on "
         "every article; add entities, watchlists, event_types or keywords, or name its sources (feeds, feed_tags, "
         "domains, authors)"),
    Case("none-of-a-feed-alone", R,
         "      entities: {any: [islamic-state]}\n      event_types: {any: [armed-conflict]}\n",
         "      feeds: {none: [wire]}\n",
         "{dir}/routes.yaml:3: routes[0].when: route 'conflict': no all/any condition, so it would alert on "
         "every article; add entities, watchlists, event_types or keywords, or name its sources (feeds, feed_tags, "
         "domains, authors)"),
    # --- source filters: ids and tags that exist, domains that are host names
    Case("feed-unknown", R, "entities: {any: [islamic-state]}",
         "entities: {any: [islamic-state]}\n      feeds: {any: [wyre]}",
         "{dir}/routes.yaml:5: routes[0].when.feeds.any[0]: route 'conflict': no feed 'wyre' (did you mean "
         "'wire'?); use a defined id (known: wire)"),
    Case("feed-tag-unknown", R, "entities: {any: [islamic-state]}",
         "entities: {any: [islamic-state]}\n      feed_tags: {all: [world, energy]}",
         "{dir}/routes.yaml:5: routes[0].when.feed_tags.all[1]: route 'conflict': no feed tag 'energy'; tag a "
         "feed with it or use a tag feeds have (known: world)"),
    Case("feeds-all", R, "entities: {any: [islamic-state]}",
         "entities: {any: [islamic-state]}\n      feeds: {all: [wire]}",
         "{dir}/routes.yaml:5: routes[0].when.feeds: route 'conflict': an article comes from one feed, so 'all' "
         "of several never holds: write 'any: [a, b]' for articles from any of them"),
    Case("domain-is-a-url", R, "entities: {any: [islamic-state]}",
         "entities: {any: [islamic-state]}\n      domains: {any: ['https://www.reuters.com/world']}",
         "{dir}/routes.yaml:5: routes[0].when.domains.any[0]: route 'conflict': 'https://www.reuters.com/world' "
         "is not a domain; write the host name alone: 'reuters.com'"),
    Case("domain-not-a-host-name", R, "entities: {any: [islamic-state]}",
         "entities: {any: [islamic-state]}\n      domains: {none: [reuters..com]}",
         "{dir}/routes.yaml:5: routes[0].when.domains.none[0]: route 'conflict': 'reuters..com' is not a valid "
         "host name: write labels of letters, digits and '-' (at most 63 each, no '-' at either end) separated "
         "by dots, e.g. 'reuters.com'"),
    Case("duplicate-feed-id", F, "    tags: [world]", "    tags: [world]\n  - id: wire\n"
         "    url: https://example.org/other.xml",
         "{dir}/feeds.yaml:6: feeds[1].id: duplicate id 'wire', also feeds[0]; ids must be unique"),
    Case("duplicate-feed-url", F, "    tags: [world]", "    tags: [world]\n  - id: wire2\n"
         "    url: https://example.org/feed.xml",
         "{dir}/feeds.yaml:7: feeds[1].url: same URL as feed 'wire'; poll each feed once"),
    Case("duplicate-entity-id", W, "id: hezbollah", "id: islamic-state",
         "{dir}/watch.yaml:9: watchlists[0].entities[1].id: duplicate entity id 'islamic-state' (also in "
         "watchlist 'groups'); routes name entities by id, so ids must be unique"),
    Case("secret-unset", R, "    optional: true\n", "",
         "{dir}/routes.yaml:13: destinations[1].url: environment variable SLACK_WEBHOOK_URL is not set; "
         "export it (secrets live in the environment)", env={"SLACK_WEBHOOK_URL": ""}),
    Case("env-override-blamed", F, "interval: 5m", "interval: 5m",
         "environment variable NEWSWATCH_LOG_LEVEL: settings.logging.level: 'VERBOSE' is not one of DEBUG, "
         "INFO, WARNING, ERROR", env={"NEWSWATCH_LOG_LEVEL": "verbose"}),
    Case("env-port-blamed", F, "interval: 5m", "interval: 5m",
         "environment variable NEWSWATCH_METRICS_PORT: settings.metrics.port: must be a whole number, not "
         "'nine'", env={"NEWSWATCH_METRICS_PORT": "nine"}),
    Case("matches-outlive-the-ledger", F, "feeds:", "settings:\n  kafka: {retention: {matches: 60d}}\nfeeds:",
         "{dir}/feeds.yaml:2: settings.kafka.retention.matches: matches are kept 60d but the delivery ledger only "
         "30d (settings.deliver.sent_ttl): `newswatch alerts` would list the older alerts as unknown; raise "
         "sent_ttl or shorten this", warning=True),
    Case("redis-url-without-scheme", F, "feeds:", "settings:\n  redis: {url: 'localhost:6379'}\nfeeds:",
         "{dir}/feeds.yaml:2: settings.redis.url: 'localhost:6379' is not a Redis URL; write "
         "redis://host:6379/0 (rediss:// for TLS, unix:///path/to/socket)"),
    Case("redis-url-env-blamed", F, "interval: 5m", "interval: 5m",
         "environment variable NEWSWATCH_REDIS_URL: settings.redis.url: 'redis-0:6379' is not a Redis URL; "
         "write redis://host:6379/0 (rediss:// for TLS, unix:///path/to/socket)",
         env={"NEWSWATCH_REDIS_URL": "redis-0:6379"}),
    # --- warnings: loads and runs, but alerts falsely or loses alerts
    Case("cased-alias-lowercase", W, "[IS, ISIS]", "[us, ISIS]",
         "{dir}/watch.yaml:8: watchlists[0].entities[0].case_sensitive_aliases[0]: entity 'islamic-state': "
         "case-sensitive alias 'us' has no capital letter, so it matches the ordinary lower-case word (\"let "
         "us go\", \"what is left\"); write it as printed (e.g. 'US') or remove it", warning=True),
    Case("cased-alias-one-letter", W, "[IS, ISIS]", "[I, ISIS]",
         "{dir}/watch.yaml:8: watchlists[0].entities[0].case_sensitive_aliases[0]: entity 'islamic-state': "
         "case-sensitive alias 'I' is one letter: it matches every capital 'I' (a sentence's first word, "
         "initials); use a longer name", warning=True),
    Case("cased-alias-two-letters", W, "[IS, ISIS]", "[Is, ISIS]",
         "{dir}/watch.yaml:8: watchlists[0].entities[0].case_sensitive_aliases[0]: entity 'islamic-state': "
         "case-sensitive alias 'Is' is two letters not all in capitals, so it matches the word that starts a "
         "sentence (\"Is it true?\"); write the acronym in capitals (e.g. 'IS') or remove it", warning=True),
    Case("cased-alias-stop-word", W, "[IS, ISIS]", "[The, ISIS]",
         "{dir}/watch.yaml:8: watchlists[0].entities[0].case_sensitive_aliases[0]: entity 'islamic-state': "
         "case-sensitive alias 'The' is a common word that starts sentences; use the full name, or the "
         "acronym in capitals", warning=True),
    Case("alias-one-letter", W, "aliases: [Hizbollah]", "aliases: [Hizbollah, a]",
         "{dir}/watch.yaml:11: watchlists[0].entities[1].aliases[1]: entity 'hezbollah': alias 'a' has one or "
         "two letters and is matched ignoring case, so ordinary words fire it (\"a\", \"us\", \"is\"); put an "
         "acronym under case_sensitive_aliases in capitals, or remove it", warning=True),
    Case("alias-stop-word", W, "aliases: [Hizbollah]", "aliases: [Hizbollah, which]",
         "{dir}/watch.yaml:11: watchlists[0].entities[1].aliases[1]: entity 'hezbollah': alias 'which' is the "
         "common English word 'which', and is matched ignoring case in every language, so ordinary prose "
         "fires it; " + _FIX.format(printed="'Which'"), warning=True),
    Case("alias-acronym-stop-word", W, "aliases: [Hizbollah]", "aliases: [Hizbollah, WHO]",
         "{dir}/watch.yaml:11: watchlists[0].entities[1].aliases[1]: entity 'hezbollah': alias 'WHO' is the "
         "common English word 'who', and is matched ignoring case in every language, so ordinary prose "
         "fires it; " + _FIX.format(printed="'WHO'"), warning=True),
    Case("alias-common-english-word", W, "aliases: [Hizbollah]", "aliases: [Hizbollah, Target]",
         "{dir}/watch.yaml:11: watchlists[0].entities[1].aliases[1]: entity 'hezbollah': alias 'Target' is "
         "the ordinary English word 'target', and is matched ignoring case in every language, so ordinary "
         "prose fires it; " + _FIX.format(printed="'Target'"), warning=True),
    Case("alias-common-word-elsewhere", W, "aliases: [Hizbollah]", "aliases: [Hizbollah, Uno]",
         "{dir}/watch.yaml:11: watchlists[0].entities[1].aliases[1]: entity 'hezbollah': alias 'Uno' is "
         "the ordinary Spanish word 'uno', and is matched ignoring case in every language, so ordinary "
         "prose fires it; " + _FIX.format(printed="'Uno'"), warning=True),
    Case("alias-folds-like-a-word", W, "aliases: [Hizbollah]", "aliases_by_language: {pt: [Irã]}",
         "{dir}/watch.yaml:11: watchlists[0].entities[1].aliases_by_language.pt[0]: entity 'hezbollah': "
         "alias 'Irã' folds to the same letters as the Portuguese word 'irá', and is matched ignoring case "
         "in pt articles, so ordinary prose fires it; " + _FIX.format(printed="'Irã'"), warning=True),
    Case("alias-one-han-character", W, "aliases: [Hizbollah]", "aliases: [Hizbollah, 京]",
         "{dir}/watch.yaml:11: watchlists[0].entities[1].aliases[1]: entity 'hezbollah': alias '京' is one "
         "Han character, which sits inside countless longer words and names; use the full name (北京, not "
         "京)", warning=True),
    Case("alias-one-hangul-syllable", W, "aliases: [Hizbollah]", "aliases: [Hizbollah, 미]",
         "{dir}/watch.yaml:11: watchlists[0].entities[1].aliases[1]: entity 'hezbollah': alias '미' is one "
         "Hangul syllable, which sits inside countless longer words and names; use the full name (北京, not "
         "京)", warning=True),
    Case("unknown-country", W, "aliases: [Hizbollah]", "country: UK",
         "{dir}/watch.yaml:11: watchlists[0].entities[1].country: entity 'hezbollah': 'UK' is not an ISO "
         "3166-1 alpha-2 country code; did you mean 'GB'? write the two-letter code (DE, US, GB, CN; also "
         "EU, UN, XK), as listed at https://www.iso.org/obp/ui/#search"),
    Case("alias-on-two-entities", W, "aliases: [Hizbollah]", "aliases: [Hizbollah, Islamic State]",
         "{dir}/watch.yaml:11: watchlists[0].entities[1].aliases[1]: entity 'hezbollah': 'Islamic State' also "
         "names entity 'islamic-state', so every mention counts for both; keep it on one of them",
         warning=True),
    Case("excludes-own-name", W, "aliases: [Hizbollah]", "aliases: [Hizbollah]\n        exclusions: [hezbollah]",
         "{dir}/watch.yaml:12: watchlists[0].entities[1].exclusions[0]: entity 'hezbollah': exclusion "
         "'hezbollah' is the entity's own name ('Hezbollah'), so it vetoes every mention; exclude a longer "
         "phrase that holds the name (e.g. 'Paris Hilton' for Paris), or remove it", warning=True),
    Case("regex-keyword", R, "none: [rumour, opinion]", 'none: ["rumou?r", opinion]',
         "{dir}/routes.yaml:6: routes[0].when.keywords.none[0]: route 'conflict': 'rumou?r' looks like a "
         "regular expression, but a plain phrase is matched literally; to match it as a regex write the item "
         "as {regex: 'rumou?r'}, or list each spelling instead (e.g. [rumour, rumor])", warning=True),
    Case("regex-alias", W, "aliases: [Hizbollah]", r"aliases: [Hizbollah, 'Hizb\w+']",
         "{dir}/watch.yaml:11: watchlists[0].entities[1].aliases[1]: entity 'hezbollah': 'Hizb\\\\w+' looks "
         "like a regular expression, but a plain phrase is matched literally; to match it as a regex write "
         "the item as {regex: 'Hizb\\w+'}, or list each spelling instead (e.g. [rumour, rumor])",
         warning=True),
    Case("regex-refused", W, "aliases: [Hizbollah]", "aliases: [Hizbollah, {regex: 'Hizb(?=ollah)'}]",
         "{dir}/watch.yaml:11: watchlists[0].entities[1].aliases[1].regex: entity 'hezbollah': RE2 refuses "
         "the regex 'Hizb(?=ollah)': invalid perl operator: (?=; correct it (RE2 has no back-references or "
         "look-around)"),
    Case("regex-empty", R, "none: [rumour, opinion]", "none: [rumour, {regex: 'x*'}]",
         "{dir}/routes.yaml:6: routes[0].when.keywords.none[1].regex: route 'conflict': the regex 'x*' matches "
         "an empty text, so it would find a mention everywhere; make it require at least one character (+ "
         "instead of *)"),
    Case("regex-trigger", W, "triggers: [capture, seize]", "triggers: [capture, seiz(e|ed)]",
         "{dir}/watch.yaml:15: event_types[0].triggers[1]: event type 'armed-conflict': 'seiz(e|ed)' looks "
         "like a regular expression, but a plain phrase is matched literally; list each spelling instead "
         "(e.g. [rumour, rumor])", warning=True),
    Case("bare-variable", R, "url: ${SLACK_WEBHOOK_URL}", "url: $SLACK_WEBHOOK_URL",
         "{dir}/routes.yaml:13: destinations[1].url: $SLACK_WEBHOOK_URL is not replaced (only "
         "${SLACK_WEBHOOK_URL} is); write ${SLACK_WEBHOOK_URL}", warning=True),
    Case("unclosed-variable", R, "url: ${SLACK_WEBHOOK_URL}", "url: ${SLACK_WEBHOOK_URL",
         "{dir}/routes.yaml:13: destinations[1].url: '${' without its closing '}' is not replaced; write "
         "${NAME}", warning=True),
    Case("url-from-env-not-a-url", R, "url: ${SLACK_WEBHOOK_URL}", "url: ${SLACK_WEBHOOK_URL}",
         "{dir}/routes.yaml:13: destinations[1].url: destination 'slack': url is not an http(s) URL (the value "
         "of its variable starts 'T1/B2/ab'...), so every alert to it would fail; give the full URL",
         warning=True, env={"SLACK_WEBHOOK_URL": "T1/B2/abcdef"}),
    Case("url-from-env-does-not-parse", R, "url: ${SLACK_WEBHOOK_URL}", "url: ${SLACK_WEBHOOK_URL}",
         "{dir}/routes.yaml:13: destinations[1].url: destination 'slack': the host 'hooks..slack.com' holds "
         "characters no host name has, so every alert to it would be a dead letter; give the URL as a browser "
         "shows it", warning=True, env={"SLACK_WEBHOOK_URL": "https://hooks..slack.com/services/T1/B2/abcdef"}),
    Case("slack-url-in-file", R, "url: ${SLACK_WEBHOOK_URL}", "url: https://hooks.slack.com/services/T1/B2/xyz",
         "{dir}/routes.yaml:13: destinations[1].url: destination 'slack': the webhook URL is a secret written "
         "in plain text in the file; write url: ${SLACK_WEBHOOK_URL} and export SLACK_WEBHOOK_URL",
         warning=True),
    Case("webhook-url-in-file", R, "    optional: true\n",
         "    optional: true\n  - id: siem\n    type: webhook\n    url: http://127.0.0.1:18767/gone\n    unsigned: true\n",
         "{dir}/routes.yaml:17: destinations[2].url: destination 'siem': the webhook URL is a secret written "
         "in plain text in the file; write url: ${ALERT_WEBHOOK_URL} and export ALERT_WEBHOOK_URL",
         warning=True),
    Case("apprise-url-in-file", R, "    optional: true\n",
         "    optional: true\n  - id: teams\n    type: apprise\n    url: discord://4174216298/JHMHI8qBe7bk2Zw\n",
         "{dir}/routes.yaml:17: destinations[2].url: destination 'teams': an Apprise URL holds the service's "
         "credentials and is written in plain text in the file; write url: ${APPRISE_URL} and export it",
         warning=True),
    Case("signing-secret-in-file", R, "    optional: true\n",
         "    optional: true\n  - id: siem\n    type: webhook\n    url: ${SLACK_WEBHOOK_URL}\n"
         "    secret: whsec_c2VjcmV0c2VjcmV0c2VjcmV0\n",
         "{dir}/routes.yaml:18: destinations[2].secret: destination 'siem': the signing secret is written in "
         "plain text in the file; write secret: ${ALERT_WEBHOOK_SECRET} and export it", warning=True),
    Case("webhook-without-secret", R, "    optional: true\n",
         "    optional: true\n  - id: siem\n    type: webhook\n    url: ${SLACK_WEBHOOK_URL}\n",
         "{dir}/routes.yaml:17: destinations[2].url: destination 'siem': webhook without a signing secret, so "
         "its receiver cannot tell a forged alert from a real one; add secret: ${ALERT_WEBHOOK_SECRET} "
         "(whsec_...), or unsigned: true if it cannot verify", warning=True),
    Case("webhook-unsigned-with-secret", R, "    optional: true\n",
         "    optional: true\n  - id: siem\n    type: webhook\n    url: ${SLACK_WEBHOOK_URL}\n"
         "    secret: ${SLACK_WEBHOOK_URL}\n    unsigned: true\n",
         "{dir}/routes.yaml:15: destinations[2]: destination 'siem': has a secret and says unsigned: true; remove one of them (a "
         "secret signs every alert)"),
    Case("route-without-enabled-destination", R, "to: [console, slack]", "to: [slack]",
         "{dir}/routes.yaml:7: routes[0].to: route 'conflict' has no enabled destination (slack: "
         "SLACK_WEBHOOK_URL unset); its alerts are dead-lettered until one is enabled, then `newswatch dlq "
         "replay` sends them", warning=True, env={"SLACK_WEBHOOK_URL": ""}),
    Case("private-feed", F, "url: https://example.org/feed.xml", "url: http://10.0.0.5/feed.xml",
         "{dir}/feeds.yaml:3: feeds[0].url: feed 'wire': 10.0.0.5 is a non-public address (private); add the "
         "host to settings.http.allow_private_hosts if it is trusted; the fetcher refuses it", warning=True),
    *(Case(f"private-feed-{form}", F, "url: https://example.org/feed.xml", f"url: {url}",
           f"{{dir}}/feeds.yaml:3: feeds[0].url: feed 'wire': {read}{named} a non-public address ({why}); add "
           "the host to settings.http.allow_private_hosts if it is trusted; the fetcher refuses it", warning=True)
      for form, url, read, named, why in _ADDRESS_TRAPS),
    *(Case(f"unparsable-feed-url-{form}", F, "url: https://example.org/feed.xml", f"url: {url}",
           f"{{dir}}/feeds.yaml:3: feeds[0].url: feed 'wire': {why}; the fetcher could never fetch it, so write "
           "the feed's URL as a browser shows it") for form, url, why in _UNPARSABLE),
    Case("host-over-its-pace", F, "feeds:\n  - id: wire\n    url: https://example.org/feed.xml\n    interval: 5m",
         "settings:\n  fetch:\n    min_interval: 1s\nfeeds:\n  - id: wire\n    url: https://example.org/feed.xml\n    interval: 1s\n  - id: desk\n    url: https://example.org/desk.xml\n    interval: 2s",
         "{dir}/feeds.yaml:7: feeds[0].interval: host example.org: 2 enabled feed(s) ask for 1.5 times the polls "
         "that settings.fetch.host_interval (1 s between requests) allows; they are served in turn, each up to 2 s "
         "late. Lengthen their intervals (to 2 s or more), move feeds off the host, or shorten "
         "settings.fetch.host_interval if the host allows it", warning=True),
    Case("interval-below-min-interval", F, "interval: 5m", "interval: 10s",
         "{dir}/feeds.yaml:4: feeds[0].interval: feed 'wire': interval 10 s is below settings.fetch.min_interval (60 s), "
         "so it is polled every 60 s at most; lower settings.fetch.min_interval to poll it that often, or lengthen its "
         "interval", warning=True),
    Case("interval-above-max-interval", F, "interval: 5m", "interval: 2h",
         "{dir}/feeds.yaml:4: feeds[0].interval: feed 'wire': interval 7200 s is above settings.fetch.max_interval "
         "(3600 s), so it is polled every 3600 s at least; raise settings.fetch.max_interval, or shorten its interval",
         warning=True),
]
