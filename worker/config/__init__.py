"""Configuration: the models of config/*.yaml and the loader that reports file:line errors."""

from worker.config.loader import config_files, load_config
from worker.config.models import (
    Config,
    ConsoleDestination,
    Destination,
    Entity,
    EventType,
    Feed,
    Route,
    Settings,
    SlackDestination,
    Watchlist,
    WebhookDestination,
)

__all__ = [
    "Config",
    "ConsoleDestination",
    "Destination",
    "Entity",
    "EventType",
    "Feed",
    "Route",
    "Settings",
    "SlackDestination",
    "Watchlist",
    "WebhookDestination",
    "config_files",
    "load_config",
]
