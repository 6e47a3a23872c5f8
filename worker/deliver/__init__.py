"""Deliver: alerts to Slack, signed webhooks and the console, once each; dead letters and digests."""

from worker.deliver.replay import replay
from worker.deliver.stage import deliver_stage

__all__ = ["deliver_stage", "replay"]
