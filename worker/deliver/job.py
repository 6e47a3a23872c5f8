"""One delivery to make: an alert, digest or feed-health notice for one destination, and how it has
fared so far.

The same model is the parked form kept in Redis while the delivery waits for a
retry (see `parked`), so what waits is exactly what will be sent.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from worker.records import Alert, Digest, FeedHealth


class Job(BaseModel):
    model_config = ConfigDict(frozen=True)

    payload: Annotated[Alert | Digest | FeedHealth, Field(discriminator="type")]
    destination: str
    attempts: int = 0  # failed attempts so far (a replayed dead letter brings its count)
    parked_at: float = 0.0  # when it first waited for a retry; its schedule runs from here
    reason: str = ""  # why the last attempt failed

    @property
    def id(self) -> str:
        return self.payload.id
