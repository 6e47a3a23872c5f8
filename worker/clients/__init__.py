"""Wrappers of the external systems: Kafka, Redis and HTTP. Nothing else imports their libraries."""
