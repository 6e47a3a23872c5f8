"""The starter taxonomy of config/event_types.yaml on sentences that should, and should not, fire it."""

from __future__ import annotations

import pytest

from tests.match.conftest import article
from worker.match.matcher import Matcher


def events(matcher: Matcher, text: str) -> set[str]:
    return {event.id for event in matcher.match(article(text=text)).events}


@pytest.mark.parametrize(("text", "event"), [
    ("Hezbollah fighters seized the town on Sunday.", "armed-conflict"),
    ("Aleppo fell to government forces.", "armed-conflict"),
    ("The EU fined Microsoft Corp \u20ac500m for bundling.", "regulatory-fine"),
    ("Siemens faces a fine of \u20ac20m.", "regulatory-fine"),
    ("Boeing recalled 200 jets after the fault.", "product-recall"),
    ("Volkswagen will cut jobs in Germany.", "layoffs"),
    ("Airbus agreed to buy the supplier.", "acquisition"),
    ("Hackers stole data from CrowdStrike customers in a ransomware attack.", "cyberattack"),
])
def test_the_taxonomy_fires_on_its_events(matcher: Matcher, text: str, event: str) -> None:
    assert event in events(matcher, text)


@pytest.mark.parametrize("text", [
    "Microsoft Corp had a fine quarter, its results show.",
    "Siemens will succeed in China, analysts say.",
    "Airbus is fine with the plan.",
    "Rebels seized the town.",  # armed-conflict asks for a watched entity in the sentence
])
def test_the_taxonomy_stays_quiet_on_everyday_words(matcher: Matcher, text: str) -> None:
    assert events(matcher, text) == set()
