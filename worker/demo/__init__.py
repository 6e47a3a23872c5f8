"""`newswatch demo`: the whole pipeline on a bundled news site served from 127.0.0.1.

The demo takes the watchlists, event types, routes and destinations of your
config folder, swaps its feeds for the bundled ones, and runs every stage
against the local Kafka and Redis under a fresh topic and key prefix, so it
never disturbs a real deployment and always starts from nothing. Alerts print
on the console (and reach Slack or a webhook if those are configured).

It ends by itself once every bundled article went through and the alerts
stopped coming (see `progress`), and prints what happened.
"""

from __future__ import annotations

import tempfile
import threading
import time
from pathlib import Path

from worker.clients.kafka import Kafka
from worker.clients.redis import Redis
from worker.config import Config, Feed, load_config
from worker.demo.progress import Progress
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


def run_demo(config_dir: str, seconds: float = 0, log_level: str | None = None) -> int:
    """Serve the site, run the pipeline until its alerts are out (or `seconds`, or Ctrl-C), clean up."""
    from worker.app import run

    base = load_config(config_dir)
    configure(base.settings.logging.format, log_level or base.settings.logging.level)
    site = DemoSite()
    prefix = f"newswatch-demo-{int(time.time())}"
    config = demo_config(base, site, prefix)
    log.info("demo site serving; the demo stops by itself once its alerts are out",
             feeds=[site.feed_url(f.id) for f in site.feeds], articles=len(site.stories), prefix=prefix)
    stop = threading.Event()
    progress = Progress(len(site.stories), limit=seconds or None)
    watcher = threading.Thread(target=progress.watch, args=(stop,), name="demo-progress", daemon=True)
    watcher.start()
    try:
        with tempfile.TemporaryDirectory() as empty:  # nothing to reload: the demo config lives in memory
            run(config, Path(empty), stop=stop)
    finally:
        stop.set()
        site.close()
        _clean(config)
    print(progress.summary(), flush=True)
    return 0


def _clean(config: Config) -> None:
    Kafka(config.settings.kafka).delete_topics()
    redis = Redis(config.settings.redis)
    redis.delete_prefix()
    redis.close()
