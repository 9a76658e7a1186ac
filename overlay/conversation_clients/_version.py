"""The installed distribution's version, for the User-Agent header and ``__version__``."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("conversation-clients")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0"
