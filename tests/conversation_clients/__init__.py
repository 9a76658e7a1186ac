"""Tests of ``overlay/conversation_clients``: ``test_<module>.py`` for each module, at its path."""
