"""Where things are, for tests at any depth of the tree: the repository, and the shared fixtures."""

from __future__ import annotations

from pathlib import Path

#: The repository's root: ``overlay/``, ``generated/``, ``openapi/``, ``pyproject.toml``...
REPOSITORY = Path(__file__).resolve().parents[2]
#: The helpers the tests share (this package): the third vendor's modules, the hostile harness...
SUPPORT = Path(__file__).resolve().parent
#: The vendors' example responses, rebuilt (see ``openapi/bird/messages.PROVENANCE.md``).
FIXTURES = SUPPORT / "fixtures"
