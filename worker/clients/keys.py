"""Every Redis key Newswatch writes, in one table; callers build keys only through `Keys`.

All keys sit under the deployment's `settings.redis.key_prefix` (default
"nw:"), so several deployments (and every test) can share one Redis and a
prefix can be deleted as a whole. The strings below are what deployed Redis
instances hold: changing one orphans that data, so a new layout needs a new
family, never a renamed one.

| key (after the prefix)                  | type   | TTL                             | owner                 |
|-----------------------------------------|--------|---------------------------------|-----------------------|
| feed:<feed>                             | hash   | none (one per configured feed)  | fetch/state.py        |
| seen:<entry>                            | string | fetch.seen_ttl                  | fetch/seen.py         |
| revisions:<entry>                       | string | 1 day (edits counted per day)   | fetch/seen.py         |
| lease:<feed>                            | string | the poll's lease (token)        | fetch/lease.py        |
| pace:<destination>, pace:<kind>:<name>  | string | the slot plus one interval      | pace.py               |
| line:host:<host> (:serving, :ended)     | zset   | 1 day after the last ask        | fetch/turns.py        |
| story:article:<article>                 | string | dedup.exact_ttl                 | dedup/stories.py      |
| story:content:<hash>                    | string | dedup.exact_ttl                 | dedup/stories.py      |
| story:band:<i>:<hash>                   | string | dedup.window                    | dedup/stories.py      |
| story:<story>                           | hash   | dedup.window                    | dedup/stories.py      |
| story:<story>:articles                  | set    | dedup.window                    | dedup/stories.py      |
| story:<story>:also                      | list   | dedup.window                    | dedup/stories.py      |
| alert:<alert>                           | string | dedup.exact_ttl                 | dedup/claims.py       |
| sent-to:<destination>:<period>:<story>  | string | dedup.exact_ttl                 | dedup/claims.py       |
| followup:<alert>                        | hash   | dedup.exact_ttl                 | dedup/followups.py    |
| followups:<story>                       | zset   | dedup.follow_up_window          | dedup/followups.py    |
| sent:<alert or digest>:<destination>    | string | deliver.sent_ttl                | deliver/ledger.py     |
| claim:<name>                            | string | the claim's lease (token)       | deliver/ledger.py     |
| digest:<period member>                  | hash   | the period plus 7 days          | deliver/digest.py     |
| digests                                 | set    | none (members removed when sent)| deliver/digest.py     |
| flood:<route>:<destination>:<start>     | hash   | the window plus 1 hour          | deliver/flood.py      |
| flood-number:<route>:<dest.>:<alert>    | string | the window plus 1 hour          | deliver/flood.py      |
| breaker:<destination>                   | hash   | none (one per destination)      | deliver/breaker.py    |
| outcome:<destination>                   | hash   | none (one per destination)      | deliver/outcomes.py   |
| parked:<destination>:order / :due       | zset   | none (emptied as alerts leave)  | deliver/parked.py     |
| parked:<destination>:items              | hash   | none                            | deliver/parked.py     |
| parked:<destination>:seq                | string | none (arrival counter)          | deliver/parked.py     |
| parked-destinations                     | set    | none                            | deliver/parked.py     |
| mute:<kind>:<id>                        | string | until the mute ends             | mutes.py              |
| mutes                                   | zset   | the latest mute's end           | mutes.py              |
"""

from __future__ import annotations


class Keys:
    """The key builders of one deployment (one prefix); each method is one family of the table."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix

    def _key(self, *parts: str) -> str:
        return self.prefix + ":".join(parts)

    # fetch
    def feed(self, feed_id: str) -> str:
        return self._key("feed", feed_id)

    def seen(self, entry_id: str) -> str:
        return self._key("seen", entry_id)

    def revisions(self, entry_id: str) -> str:
        return self._key("revisions", entry_id)

    def lease(self, feed_id: str) -> str:
        return self._key("lease", feed_id)

    def host_line(self, host: str) -> str:
        """The feeds due on one host, by when they fell due (fetch/turns.py)."""
        return self._key("line", "host", host)

    def pace(self, kind: str, name: str) -> str:
        # Slack's keys stay where they were ("pace:<destination>"), so an upgrade keeps their pace.
        return self._key("pace", name) if kind == "destination" else self._key("pace", kind, name)

    # dedup
    def story(self, *parts: str) -> str:
        """story:<id>, story:<id>:articles|also, story:article:<id>, story:content:<h>, story:band:<i>:<h>."""
        return self._key("story", *parts)

    def alert(self, alert_id: str) -> str:
        return self._key("alert", alert_id)

    def sent_to(self, destination: str, period: str, story: str) -> str:
        return self._key("sent-to", destination, period, story)

    def followup(self, alert_id: str) -> str:
        return self._key("followup", alert_id)

    def followups(self, story: str) -> str:
        return self._key("followups", story)

    # deliver
    def sent(self, delivery_id: str, destination: str) -> str:
        return self._key("sent", delivery_id, destination)

    def claim(self, name: str) -> str:
        return self._key("claim", name)

    def digest(self, member: str) -> str:
        return self._key("digest", member)

    def digests(self) -> str:
        return self._key("digests")

    def flood(self, route: str, destination: str, start: str) -> str:
        return self._key("flood", route, destination, start)

    def flood_number(self, route: str, destination: str, alert_id: str) -> str:
        return self._key("flood-number", route, destination, alert_id)

    def breaker(self, destination: str) -> str:
        return self._key("breaker", destination)

    def outcome(self, destination: str) -> str:
        return self._key("outcome", destination)

    def parked(self, destination: str, part: str) -> str:
        """parked:<destination>:order|due|items|seq."""
        return self._key("parked", destination, part)

    def parked_destinations(self) -> str:
        return self._key("parked-destinations")

    # mutes
    def mute(self, kind: str, mute_id: str) -> str:
        return self._key("mute", kind, mute_id)

    def mutes(self) -> str:
        return self._key("mutes")
