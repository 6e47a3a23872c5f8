"""Follow-ups: a story already alerted on a route whose entry its feed edited gets one "Updated:" message.

The fetch stage sends an edited entry again with its new content hash; it
is extracted and matched again like any article. Here, each route decision
with status "alert" is compared with what the route's alert was made of
(kept in Redis under the alert id: the version, title, entities, events):

- no record: this is the route's first alert on the story; it is recorded;
- the same version: the same article read again; the decision stays as it
  was first made, follow-up included, so a re-read batch changes nothing;
- another version: a follow-up (`update_id`, `changes`: the old and new
  title, the entities and event types not matched before), unless the route
  says `follow_ups: false` or the story had `dedup.follow_up_cap` follow-ups
  within `dedup.follow_up_window`; then the decision becomes "duplicate",
  so no second first alert is ever sent.

A route the edited article fires for the first time has no record and
alerts as new. The cap counts versions per story, in a sorted set trimmed
to the window by one Lua script, so it holds across match replicas and
re-reads.
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from typing import Any

from worker.clients.redis import Redis
from worker.config.models import Config, DedupSettings
from worker.logs import get_logger
from worker.records import Changes, Match, RouteDecision, stable_id

log = get_logger(__name__)

# KEYS: the story's follow-ups. ARGV: now, window, version, cap. 1: within the cap (also when counted before).
_WITHIN_CAP = """
redis.call('zremrangebyscore', KEYS[1], '-inf', tonumber(ARGV[1]) - tonumber(ARGV[2]))
if redis.call('zscore', KEYS[1], ARGV[3]) then return 1 end
if redis.call('zcard', KEYS[1]) >= tonumber(ARGV[4]) then return 0 end
redis.call('zadd', KEYS[1], ARGV[1], ARGV[3])
redis.call('expire', KEYS[1], math.ceil(tonumber(ARGV[2])))
return 1
"""


class FollowUps:
    def __init__(self, store: Redis, settings: DedupSettings) -> None:
        self.store = store
        self.settings = settings
        self._within_cap = store.script(_WITHIN_CAP)

    def revise(self, match: Match, config: Config) -> Match:
        """`match` with its alert decisions turned into follow-ups or repeats where the story was edited."""
        return self.revise_all([match], config)[0]

    def revise_all(self, matches: Sequence[Match], config: Config) -> list[Match]:
        """`revise` for a batch's records, as if one after another, in two round trips for them all
        (what each alert was made of, read; then what changed, written): a record sees what one before
        it in the batch recorded, so two versions of a story in one batch still make a follow-up."""
        alerting = [[d for d in m.routes if d.status == "alert"] if m.article.content_hash else []
                    for m in matches]
        ids = list(dict.fromkeys(d.alert_id for alerts in alerting for d in alerts))
        if not ids:
            return list(matches)
        with self.store.pipeline() as pipe:
            for alert_id in ids:
                pipe.hgetall(self._key(alert_id))
            held: dict[str, dict[str, str]] = dict(zip(ids, pipe.execute(), strict=True))
        follow_ups = {r.id: r.follow_ups for r in config.routes}
        written: dict[str, dict[str, str]] = {}
        revised = []
        for match, alerts in zip(matches, alerting, strict=True):
            if not alerts:
                revised.append(match)
                continue
            routes = [self._decide(match, d, held, written, follow_ups.get(d.route, True))
                      if d.status == "alert" else d for d in match.routes]
            revised.append(match.model_copy(update={"routes": routes}))
        if written:
            with self.store.pipeline(transaction=True) as pipe:
                for alert_id, values in written.items():
                    pipe.hset(self._key(alert_id), mapping=values)
                    pipe.expire(self._key(alert_id), int(self.settings.exact_ttl))
                pipe.execute()
        return revised

    def _decide(self, match: Match, decision: RouteDecision, held: dict[str, dict[str, str]],
                written: dict[str, dict[str, str]], follow_ups: bool) -> RouteDecision:
        """The decision, revised by what its alert was made of; what to record is put in `written`
        (and in `held`, for the batch's later records)."""
        article = match.article
        before = held.get(decision.alert_id)
        if not before:
            held[decision.alert_id] = written[decision.alert_id] = _made_of(match, None)
            return decision
        if before["version"] == article.content_hash:
            return _as_made(decision, before.get("update"))
        why = None if follow_ups else "the route has follow_ups: false"
        if why is None and not self._allowed(match):
            why = f"the story had {self.settings.follow_up_cap} follow-ups within dedup.follow_up_window"
        if why is not None:
            log.info("story edited; no follow-up", article=article.id, url=article.url,
                     route=decision.route, alert=decision.alert_id, reason=why)
            return decision.model_copy(update={"status": "duplicate"})
        changes = Changes(previous_title=before.get("title", ""), title=article.title,
                          new_entities=_new(match.entities, before.get("entities")),
                          new_events=_new(match.events, before.get("events")))
        update = {"update_id": stable_id(decision.alert_id, "update", article.content_hash or ""),
                  "changes": changes}
        held[decision.alert_id] = written[decision.alert_id] = _made_of(match, update)
        log.info("story edited; follow-up", article=article.id, url=article.url, route=decision.route,
                 alert=decision.alert_id, follow_up=update["update_id"],
                 previous_title=changes.previous_title)
        return decision.model_copy(update=update)

    def _allowed(self, match: Match) -> bool:
        story = match.story.id if match.story else match.article.id
        version = match.article.content_hash or ""
        args: list[str | float] = [time.time(), self.settings.follow_up_window, version,
                                   self.settings.follow_up_cap]
        return self._within_cap.flag([self.store.keys.followups(story)], args)

    def _key(self, alert_id: str) -> str:
        return self.store.keys.followup(alert_id)


def _made_of(match: Match, update: dict[str, Any] | None) -> dict[str, str]:
    """What the route's alert (or its latest follow-up) was made of, for the next edit to compare."""
    return {"version": match.article.content_hash or "", "article": match.article.id,
            "title": match.article.title, "entities": json.dumps([e.id for e in match.entities]),
            "events": json.dumps([e.id for e in match.events]),
            "update": json.dumps(_jsonable(update)) if update else ""}


def _new(hits: list[Any], before: str | None) -> list[str]:
    """Names of the hits (entities or events) whose ids were not among `before` (a JSON list)."""
    seen = set(json.loads(before or "[]"))
    return [hit.name for hit in hits if hit.id not in seen]


def _jsonable(update: dict[str, Any]) -> dict[str, Any]:
    return {"update_id": update["update_id"], "changes": update["changes"].model_dump()}


def _as_made(decision: RouteDecision, update: str | None) -> RouteDecision:
    """The decision as it was made for this version: a follow-up again if it was one."""
    if not update:
        return decision
    made = json.loads(update)
    return decision.model_copy(update={"update_id": made["update_id"],
                                       "changes": Changes.model_validate(made["changes"])})
