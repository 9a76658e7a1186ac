"""OpenTelemetry spans: one per page fetch, and a child of it per attempt; nothing without a tracer.

The API is an optional extra (``pip install 'conversation-clients[otel]'``): the application
brings the SDK and its exporter. Without it, or without a tracer, the spans are a stand-in
(:data:`NO_SPAN`) that records nothing and costs nothing. A client's
:class:`~conversation_clients.signals.Signals` holds its tracer (:func:`tracer_for`); no span
attribute carries a credential, a page token or a request header.
"""

from __future__ import annotations

from collections.abc import Generator
from contextlib import contextmanager
from typing import Any, Final, TypeAlias

__all__ = ["NO_SPAN", "TracerProvider", "attempt_span", "page_span", "tracer_for"]

#: An OpenTelemetry ``TracerProvider``: typed loosely, as opentelemetry-api is an optional extra.
TracerProvider: TypeAlias = object


class _NoSpan:
    def set_attribute(self, key: str, value: object) -> None:
        return None

    def record_exception(self, exception: BaseException) -> None:
        return None


#: What stands in for a span when there is no tracer: it records nothing.
NO_SPAN: Final = _NoSpan()


def tracer_for(tracer_provider: TracerProvider | None = None) -> Any:
    """An OpenTelemetry tracer for the package, or None when ``opentelemetry-api`` is not installed.

    ``tracer_provider`` None means the global one (``opentelemetry.trace.get_tracer_provider()``).
    Install the extra: ``pip install 'conversation-clients[otel]'``.

    >>> tracer_for() is None or hasattr(tracer_for(), "start_as_current_span")
    True
    """
    try:
        from opentelemetry import trace
    except ImportError:
        if tracer_provider is not None:
            raise ImportError(
                "tracer_provider= needs opentelemetry-api: pip install 'conversation-clients[otel]'"
            ) from None
        return None
    from conversation_clients._version import __version__

    if tracer_provider is not None and not isinstance(tracer_provider, trace.TracerProvider):
        raise TypeError(
            f"tracer_provider must be an OpenTelemetry TracerProvider, got {type(tracer_provider).__name__}"
        )
    return trace.get_tracer("conversation_clients", __version__, tracer_provider=tracer_provider)


@contextmanager
def page_span(tracer: Any, vendor: str, operation: str) -> Generator[Any, None, None]:
    """A span for one page fetch (the current span while it runs), or :data:`NO_SPAN` without a tracer.

    >>> with page_span(None, "bird", "list_conversations") as span:
    ...     span is NO_SPAN
    True
    """
    if tracer is None:
        yield NO_SPAN
        return
    attributes = {"conversation_clients.vendor": vendor, "conversation_clients.operation": operation}
    with tracer.start_as_current_span(f"{vendor} {operation}", attributes=attributes) as span:
        yield span


@contextmanager
def attempt_span(tracer: Any, vendor: str, operation: str, attempt: int) -> Generator[Any, None, None]:
    """A child span of the page's for one attempt, or :data:`NO_SPAN` without a tracer."""
    if tracer is None:
        yield NO_SPAN
        return
    attributes = {
        "conversation_clients.vendor": vendor,
        "conversation_clients.operation": operation,
        "conversation_clients.attempt": attempt,
    }
    with tracer.start_as_current_span(f"{vendor} {operation} attempt", attributes=attributes) as span:
        yield span
