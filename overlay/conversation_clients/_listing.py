"""One paginated operation described without I/O (:class:`Listing`), and the reading of its pages.

A generated operations module (``conversation_clients._operations``) describes each paginated
operation as a :class:`Listing`: how to build the request for a page token, and how to read a 2xx
response into a :class:`~conversation_clients.pagination.FetchedPage` (:func:`read_json_page`:
the next token at once, the models when the page is built). The shells
(:mod:`conversation_clients._shells`) send the requests and hand the pages to the pagers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, Generic, TypeVar, cast

import attrs
import httpx

from conversation_clients._decoding import SupportsFromDict, build_model, parse_json_object
from conversation_clients._redact import credentials_sent_with
from conversation_clients._schema_errors import SchemaRef
from conversation_clients.errors import ResponseValidationError, error_reader_of, without_credentials
from conversation_clients.pagination import FetchedPage, RawItem, next_token_from
from conversation_clients.signals import page_meta_from

__all__ = ["Listing", "read_json_page"]

T = TypeVar("T")
M = TypeVar("M", bound=SupportsFromDict)


@attrs.frozen
class Listing(Generic[T]):
    """One paginated operation, described without I/O.

    ``request_kwargs(token)`` gives the arguments of ``httpx.Client.build_request`` for the page
    that ``token`` fetches (None: the first page); ``read_page(response, token)`` reads a 2xx
    response as a :class:`FetchedPage` (see :func:`read_json_page`), raising
    ``ResponseValidationError`` when it does not fit. ``operation`` names it in spans.
    """

    request_kwargs: Callable[[str | None], dict[str, Any]]
    read_page: Callable[[httpx.Response, str | None], FetchedPage[T]]
    start_token: str | None = None
    operation: str = ""


def read_json_page(
    response: httpx.Response,
    token: str | None,
    *,
    model: type[M],
    schema: SchemaRef,
    items_field: str,
    token_field: str,
    items_of: Callable[[M], Iterable[T]],
) -> FetchedPage[T]:
    """Read a page's JSON body now; build ``model`` from it (and take its items) when the page is built.

    The next token is read from the JSON itself, so that the next request can go out before the
    models are built; a token that is not a string is a ``ResponseValidationError`` naming
    ``token_field``. ``items_field`` names the array counted for ``item_count``, whose objects
    become the page's ``raw_items`` as decoded (the items as sent, beside their models).

    >>> from omnichannel_messaging.models import ActiveConversationPage
    >>> body = b'{"conversations": [{"timestamp": "2025-06-02T09:26:41.906Z", "conversationid": "%s"}]}'
    >>> response = httpx.Response(200, content=body % b"8250aab2-b23b-4f81-862f-b2f694c0ca1a")
    >>> schema = SchemaRef("omnichannel_messaging", "/components/schemas/ActiveConversationPage")
    >>> fetched = read_json_page(response, None, model=ActiveConversationPage, schema=schema,
    ...     items_field="conversations", token_field="continuationToken", items_of=lambda page: page.conversations)
    >>> page = fetched.page()
    >>> page.items[0].timestamp.isoformat(), page.raw_items[0]["timestamp"]
    ('2025-06-02T09:26:41.906000+00:00', '2025-06-02T09:26:41.906Z')
    """
    content, status_code = response.content, response.status_code
    # an error quoting the body must not show the credentials the request carried
    try:
        payload = parse_json_object(content, status_code=status_code)
    except ResponseValidationError as error:
        without_credentials(error, credentials_sent_with(response))  # in place: re-raised with its own traceback
        raise
    try:
        next_token = next_token_from(payload.get(token_field))
    except (TypeError, ValueError) as error:  # not a string, or one that cannot be sent back
        raise without_credentials(
            ResponseValidationError(status_code=status_code, body=content, field=token_field, reason=str(error)),
            credentials_sent_with(response),
        ) from None
    raw_items = payload.get(items_field)

    def build_items() -> Iterable[T]:
        try:
            return items_of(build_model(model, payload, content, status_code=status_code, schema=schema))
        except ResponseValidationError as error:
            without_credentials(error, credentials_sent_with(response))  # in place: re-raised with its own traceback
            raise

    # the items as sent: once built, each is a JSON object (its model's from_dict took it)
    raw = tuple(cast(list[RawItem], raw_items)) if isinstance(raw_items, list) else ()
    return FetchedPage(
        token=token,
        next_token=next_token,
        item_count=len(raw),
        build_items=build_items,
        meta=page_meta_from(response, _request_id_headers(response)),
        raw_items=raw,
    )


def _request_id_headers(response: httpx.Response) -> tuple[str, ...]:
    # the vendor's, attached to the request by its client; a response built by hand has no request
    try:
        request = response.request
    except RuntimeError:
        return ()
    return error_reader_of(request).request_id_headers
