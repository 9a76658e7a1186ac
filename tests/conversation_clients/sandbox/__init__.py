"""Tests of the sandbox, ``conversation_clients.sandbox``: ``test_<module>.py`` for each module."""
