"""OpenTelemetry spans: one per page fetch, and a child of it per attempt; nothing without a tracer.

The API is an optional extra (``pip install 'conversation-clients[otel]'``): the application
brings the SDK and its exporter. Without it, without a tracer, or with the API's stand-in tracer
while no SDK is set (:func:`records`), the spans are a stand-in (:data:`NO_SPAN`, in one shared
context: :data:`NO_SPAN_CONTEXT`) that records nothing and costs nothing. A client's
:class:`~conversation_clients.signals.Signals` holds its tracer (:func:`tracer_for`); no span
attribute carries a credential, a page token or a request header.
"""

from __future__ import annotations

from contextlib import AbstractContextManager, nullcontext
from typing import Any, Final, TypeAlias

__all__ = ["NO_SPAN", "NO_SPAN_CONTEXT", "TracerProvider", "attempt_span", "page_span", "records", "tracer_for"]

#: An OpenTelemetry ``TracerProvider``: typed loosely, as opentelemetry-api is an optional extra.
TracerProvider: TypeAlias = object


class _NoSpan:
    def set_attribute(self, key: str, value: object) -> None:
        return None

    def record_exception(self, exception: BaseException) -> None:
        return None


#: What stands in for a span when there is no tracer: it records nothing.
NO_SPAN: Final = _NoSpan()
#: The context that stands in for a span's when there is no tracer: it gives :data:`NO_SPAN`.
NO_SPAN_CONTEXT: Final[AbstractContextManager[Any]] = nullcontext(NO_SPAN)


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


def records(tracer: Any) -> bool:
    """Whether a span of ``tracer`` would record anything, now.

    Not without a tracer; nor with the API's stand-ins while no SDK is behind them: the proxy
    tracer of the global provider before the application sets one (``opentelemetry-api``
    installed by some other package, and no SDK), or a no-op tracer. Their spans record nothing
    and carry no context to propagate, so the drivers make none. Asked at every page fetch: a
    provider the application sets later is used from the next page on.

    >>> records(None)
    False
    """
    if tracer is None:
        return False
    from opentelemetry import trace  # imported already: the tracer is its

    if isinstance(tracer, trace.NoOpTracer):
        return False
    if isinstance(tracer, trace.ProxyTracer):
        return not isinstance(trace.get_tracer_provider(), (trace.ProxyTracerProvider, trace.NoOpTracerProvider))
    return True


def page_span(tracer: Any, vendor: str, operation: str) -> AbstractContextManager[Any]:
    """A span for one page fetch (the current span while it runs), or :data:`NO_SPAN` when it
    would record nothing (:func:`records`).

    Then this is one shared stand-in context (reentrant, nothing allocated): the drivers enter
    it on every page fetch.

    >>> with page_span(None, "bird", "list_conversations") as span:
    ...     span is NO_SPAN
    True
    """
    if not records(tracer):
        return NO_SPAN_CONTEXT
    attributes = {"conversation_clients.vendor": vendor, "conversation_clients.operation": operation}
    return tracer.start_as_current_span(f"{vendor} {operation}", attributes=attributes)  # type: ignore[no-any-return]


def attempt_span(tracer: Any, vendor: str, operation: str, attempt: int) -> AbstractContextManager[Any]:
    """A child span of the page's for one attempt, or :data:`NO_SPAN` when it would record nothing."""
    if not records(tracer):
        return NO_SPAN_CONTEXT
    attributes = {
        "conversation_clients.vendor": vendor,
        "conversation_clients.operation": operation,
        "conversation_clients.attempt": attempt,
    }
    return tracer.start_as_current_span(f"{vendor} {operation} attempt", attributes=attributes)  # type: ignore[no-any-return]
