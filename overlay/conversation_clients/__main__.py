"""``python -m conversation_clients``: the ``conversation-clients`` command (see :mod:`conversation_clients.cli`)."""

import sys

from conversation_clients.cli import main

if __name__ == "__main__":
    sys.exit(main())
