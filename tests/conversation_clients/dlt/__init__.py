"""Tests of the dlt sources, ``conversation_clients.dlt``: ``test_<module>.py`` for each module."""
