"""Tests of the downstream examples under ``examples/``: ``test_<example>.py`` for each."""
