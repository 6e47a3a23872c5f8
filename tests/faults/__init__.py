"""The fault suite (`make test-faults`): not collected by pytest, run as `python -m tests.faults`."""
