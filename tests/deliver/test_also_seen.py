"""An alert's other outlets reach Slack as links and the webhook as `story.outlets`."""

from __future__ import annotations

import json

from tests.deliver.conftest import config, match
from tests.deliver.test_delivery import Harness
from tests.kit.http import LocalServer
from worker.clients.redis import Redis
from worker.config.models import Settings
from worker.records import Outlet, StoryRef

OUTLETS = [Outlet(url="https://daily.example/quake", site="daily.example"),
           Outlet(url="https://herald.example/quake", site="herald.example")]


def test_slack_and_webhook_list_the_other_outlets(http_server: LocalServer, redis_store: Redis) -> None:
    h = Harness(config(Settings(redis=redis_store.settings), hook_url=http_server.set("/hook", status=200),
                       slack_url=http_server.set("/slack", status=200, body=b"ok")), redis_store)
    m = match(destinations=("hook", "slack"))
    assert m.story is not None
    story = StoryRef(id=m.story.id, url=m.story.url, seen_count=3, outlets=OUTLETS)
    try:
        assert h.handle(m.model_copy(update={"story": story})) == []
    finally:
        h.deliverer.close()
    [hook] = http_server.received("/hook", "POST")
    assert json.loads(hook.body)["story"]["outlets"] == [o.model_dump() for o in OUTLETS]
    [slack] = http_server.received("/slack", "POST")
    blocks = json.loads(slack.body)["blocks"]
    texts = [e["text"] for b in blocks if b["type"] == "context" for e in b["elements"]]
    assert ("Also seen at: <https://daily.example/quake|daily.example>, "
            "<https://herald.example/quake|herald.example>") in texts
