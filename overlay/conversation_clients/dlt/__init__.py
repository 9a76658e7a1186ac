"""Into a warehouse with dlt (data load tool): each vendor's conversations as a dlt source.

Needs the ``dlt`` extra (``pip install 'conversation-clients[dlt]'``: dlt and DuckDB); nothing
else in the package imports this one. Each source lists through the package's sync clients, so
the rate limiter, the retries, the checks and the resume tokens of their errors are the clients'
own, and loads incrementally:

- :func:`bird_source`: ``conversations`` (merged on ``id``, loaded when new or changed) and
  ``messages`` (merged on ``id``, incremental on ``createdAt`` through ``dateFrom``, one cursor
  per conversation, asked for only when the conversation's last message is newer);
- :func:`omnichannel_source`: ``active_conversations`` (merged on ``conversationid``,
  incremental on ``timestamp`` through ``StartTimeStamp``, one cursor per channel, its seven
  fractional digits kept).

Nested objects become columns and nested lists child tables, as dlt does. Each workspace or
channel is a partition of the state: with :class:`LoadFailures`, one that fails keeps its
cursors while the others load. :func:`warehouse_pipeline` and :func:`rows_loaded` are what
``conversation-clients VENDOR load`` uses around them. The guide: ``docs/warehouse.md``.

Example::

    import dlt
    from conversation_clients import BirdClient
    from conversation_clients.dlt import bird_source

    with BirdClient(access_key) as bird:
        pipeline = dlt.pipeline("bird", destination="duckdb", dataset_name="bird")
        pipeline.run(bird_source(bird, [workspace_id]))
"""

from __future__ import annotations

try:
    from conversation_clients.dlt._bird_source import bird_source, bird_source_of_calls
    from conversation_clients.dlt._failures import LoadFailure, LoadFailures
    from conversation_clients.dlt._omnichannel_source import omnichannel_source, omnichannel_source_of_calls
    from conversation_clients.dlt._pipelines import rows_loaded, warehouse_pipeline
except ModuleNotFoundError as missing:  # the extra's: said plainly when it is missing
    if (missing.name or "").partition(".")[0] != "dlt":
        raise
    raise ModuleNotFoundError(
        f"conversation_clients.dlt needs dlt: pip install 'conversation-clients[dlt]' ({missing})", name="dlt"
    ) from missing

__all__ = [
    "LoadFailure",
    "LoadFailures",
    "bird_source",
    "bird_source_of_calls",
    "omnichannel_source",
    "omnichannel_source_of_calls",
    "rows_loaded",
    "warehouse_pipeline",
]
