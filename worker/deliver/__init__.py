"""Deliver: alerts to Slack, signed webhooks and the console, once each; dead letters and digests.

The stage is `worker.deliver.stage`, dead-letter replay `worker.deliver.replay`;
the package imports neither.
"""
