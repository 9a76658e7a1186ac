"""The library's defaults that the command line shows in ``--help``, in a module that imports nothing.

:mod:`conversation_clients._body`, :mod:`conversation_clients._deadline` and
:mod:`conversation_clients.fleet` use them (and export them under the same names); the command
line reads them here, so that building its parser imports neither httpx nor asyncio.
"""

__all__ = ["DEFAULT_ATTEMPT_TIMEOUT", "DEFAULT_CONCURRENCY", "DEFAULT_MAX_RESPONSE_BYTES", "DEFAULT_PAGE_TIMEOUT"]

#: 16 MiB: about 100 times the largest legitimate page (a 100-conversation Bird page is ~150 KB).
DEFAULT_MAX_RESPONSE_BYTES = 16 * 1024 * 1024
#: Seconds one attempt (connect, send, every byte of the response) may take in total.
DEFAULT_ATTEMPT_TIMEOUT = 60.0
#: Seconds one page fetch may take in total: its attempts and the waits between them.
DEFAULT_PAGE_TIMEOUT = 300.0
#: How many listings run at once unless told otherwise.
DEFAULT_CONCURRENCY = 8
