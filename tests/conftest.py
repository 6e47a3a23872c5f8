"""The suite's settings; its shared fixtures live in tests/kit/fixtures.py (loaded here, once)."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

from worker.adaptations import install
from worker.logs import configure

pytest_plugins = ["tests.kit.fixtures"]
configure("console", "DEBUG")  # through the standard library, where caplog sees it
install()  # the clients' adaptations, as `newswatch run` installs them

# Property tests: `ci` (the default) keeps the suite quick on two shared cores; HYPOTHESIS_PROFILE=long
# runs thousands of examples per property. No deadline: a loaded machine is slow, not wrong.
_QUIET = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example]
settings.register_profile("ci", max_examples=150, deadline=None, suppress_health_check=_QUIET,
                          print_blob=True)
settings.register_profile("long", max_examples=2_000, deadline=None, suppress_health_check=_QUIET,
                          print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
