"""A reloaded config reaches delivery as one object: a batch that took the roster keeps reading one config."""

from __future__ import annotations

from worker.clients.http import HttpClient
from worker.clients.redis import Redis
from worker.config.models import (
    Burst,
    Config,
    ConsoleDestination,
    FeedHealthSettings,
    RedisSettings,
    Route,
    Settings,
    Terms,
    When,
)
from worker.deliver.destinations import Destinations
from worker.pace import Pacer


def config(enabled: bool, burst: int) -> Config:
    route = Route(id="strikes", when=When(keywords=Terms(any=["strike"])), to=["ops"],
                  burst=Burst(count=burst, per=300))
    return Config(settings=Settings(feed_health=FeedHealthSettings(to=["ops"] if enabled else [])),
                  destinations=[ConsoleDestination(id="ops", type="console", enabled=enabled)],
                  routes=[route])


def test_a_reload_swaps_the_whole_roster_and_a_batch_keeps_the_one_it_took() -> None:
    store = Redis(RedisSettings())  # never connected: no Slack destination here to pace
    destinations = Destinations(config(enabled=True, burst=10), HttpClient(Settings().http), Pacer(store))
    taken = destinations.current
    destinations.update(config(enabled=False, burst=3))
    store.close()
    assert "ops" in taken.senders and not taken.disabled
    assert taken.bursts["strikes"].count == 10 and taken.notices_to == ("ops",)
    now = destinations.current
    assert now is not taken and "ops" not in now.senders and "ops" in now.disabled
    assert now.bursts["strikes"].count == 3 and now.notices_to == ()
