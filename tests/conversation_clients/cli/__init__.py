"""Tests of the command line, ``conversation_clients.cli``: ``test_<module>.py`` for each module."""
