"""Misbehaving raw-socket servers and the bounded child processes the hostile tests run clients in."""
