"""`newswatch demo`: the whole pipeline on a bundled news site served from 127.0.0.1.

The demo takes the watchlists, event types, routes and destinations of your
config folder, swaps its feeds for the bundled ones, and runs every stage
against the local Kafka and Redis under a fresh topic and key prefix, so it
never disturbs a real deployment and always starts from nothing. Alerts print
on the console (and reach Slack or a webhook if those are configured).
"""

from __future__ import annotations

import tempfile
import threading
import time
from pathlib import Path

from worker.clients.kafka import Kafka
from worker.clients.redis import Redis
from worker.config import Config, Feed, load_config
from worker.demo.site import DemoSite
from worker.logs import configure, get_logger

log = get_logger(__name__)


def demo_config(base: Config, site: DemoSite, prefix: str) -> Config:
    """`base` with the demo site's feeds, polled every few seconds, under throwaway prefixes."""
    s = base.settings
    settings = s.model_copy(update={
        "kafka": s.kafka.model_copy(update={"topic_prefix": f"{prefix}.", "group_prefix": f"{prefix}-"}),
        "redis": s.redis.model_copy(update={"key_prefix": f"{prefix}:"}),
        "http": s.http.model_copy(update={"allow_private_hosts": ["127.0.0.1"]}),
        "fetch": s.fetch.model_copy(update={"min_interval": 1.0, "jitter": 0.5}),
        "metrics": s.metrics.model_copy(update={"port": 0}),
    })
    feeds = [Feed(id=f.id, name=f.title, url=site.feed_url(f.id), interval=3, tags=["demo"])
             for f in site.feeds]
    return base.model_copy(update={"settings": settings, "feeds": feeds})


def run_demo(config_dir: str, seconds: float = 0) -> int:
    """Serve the site, run the pipeline until Ctrl-C (or `seconds`), then remove the demo's data."""
    from worker.app import run

    configure("auto")
    site = DemoSite()
    prefix = f"newswatch-demo-{int(time.time())}"
    config = demo_config(load_config(config_dir), site, prefix)
    log.info("demo site serving", feeds=[site.feed_url(f.id) for f in site.feeds],
             articles=len(site.stories), prefix=prefix)
    stop = threading.Event()
    if seconds:
        threading.Timer(seconds, stop.set).start()
    try:
        with tempfile.TemporaryDirectory() as empty:  # nothing to reload: the demo config lives in memory
            run(config, Path(empty), stop=stop)
    finally:
        site.close()
        _clean(config)
    return 0


def _clean(config: Config) -> None:
    Kafka(config.settings.kafka).delete_topics()
    redis = Redis(config.settings.redis)
    keys = list(redis.client.scan_iter(match=f"{config.settings.redis.key_prefix}*", count=1000))
    if keys:
        redis.client.delete(*keys)
    redis.close()
