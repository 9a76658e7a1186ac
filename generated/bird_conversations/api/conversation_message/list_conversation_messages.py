import datetime
from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.detailed_error import DetailedError
from ...models.message_page import MessagePage
from ...types import UNSET, Response, Unset, format_datetime


def _get_kwargs(
    workspace_id: UUID,
    conversation_id: UUID,
    *,
    limit: int | Unset = 10,
    page_token: str | Unset = UNSET,
    reverse: bool | Unset = UNSET,
    date_from: datetime.datetime | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["limit"] = limit

    params["pageToken"] = page_token

    params["reverse"] = reverse

    json_date_from: str | Unset = UNSET
    if not isinstance(date_from, Unset):
        json_date_from = format_datetime(date_from)
    params["dateFrom"] = json_date_from

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/workspaces/{workspace_id}/conversations/{conversation_id}/messages".format(
            workspace_id=quote(str(workspace_id), safe=""),
            conversation_id=quote(str(conversation_id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> DetailedError | MessagePage | None:
    if response.status_code == 200:
        response_200 = MessagePage.from_dict(response.json())

        return response_200

    if response.status_code == 403:
        response_403 = DetailedError.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = DetailedError.from_dict(response.json())

        return response_404

    if response.status_code == 409:
        response_409 = DetailedError.from_dict(response.json())

        return response_409

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[DetailedError | MessagePage]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    workspace_id: UUID,
    conversation_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    limit: int | Unset = 10,
    page_token: str | Unset = UNSET,
    reverse: bool | Unset = UNSET,
    date_from: datetime.datetime | Unset = UNSET,
) -> Response[DetailedError | MessagePage]:
    """List conversation messages

     Lists a conversation's messages, at most 100 a page (10 unless limit says otherwise), paged with
    limit and pageToken.

    Args:
        workspace_id (UUID):
        conversation_id (UUID):
        limit (int | Unset):  Default: 10.
        page_token (str | Unset):
        reverse (bool | Unset):
        date_from (datetime.datetime | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[DetailedError | MessagePage]
    """

    kwargs = _get_kwargs(
        workspace_id=workspace_id,
        conversation_id=conversation_id,
        limit=limit,
        page_token=page_token,
        reverse=reverse,
        date_from=date_from,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    workspace_id: UUID,
    conversation_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    limit: int | Unset = 10,
    page_token: str | Unset = UNSET,
    reverse: bool | Unset = UNSET,
    date_from: datetime.datetime | Unset = UNSET,
) -> DetailedError | MessagePage | None:
    """List conversation messages

     Lists a conversation's messages, at most 100 a page (10 unless limit says otherwise), paged with
    limit and pageToken.

    Args:
        workspace_id (UUID):
        conversation_id (UUID):
        limit (int | Unset):  Default: 10.
        page_token (str | Unset):
        reverse (bool | Unset):
        date_from (datetime.datetime | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        DetailedError | MessagePage
    """

    return sync_detailed(
        workspace_id=workspace_id,
        conversation_id=conversation_id,
        client=client,
        limit=limit,
        page_token=page_token,
        reverse=reverse,
        date_from=date_from,
    ).parsed


async def asyncio_detailed(
    workspace_id: UUID,
    conversation_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    limit: int | Unset = 10,
    page_token: str | Unset = UNSET,
    reverse: bool | Unset = UNSET,
    date_from: datetime.datetime | Unset = UNSET,
) -> Response[DetailedError | MessagePage]:
    """List conversation messages

     Lists a conversation's messages, at most 100 a page (10 unless limit says otherwise), paged with
    limit and pageToken.

    Args:
        workspace_id (UUID):
        conversation_id (UUID):
        limit (int | Unset):  Default: 10.
        page_token (str | Unset):
        reverse (bool | Unset):
        date_from (datetime.datetime | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[DetailedError | MessagePage]
    """

    kwargs = _get_kwargs(
        workspace_id=workspace_id,
        conversation_id=conversation_id,
        limit=limit,
        page_token=page_token,
        reverse=reverse,
        date_from=date_from,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    workspace_id: UUID,
    conversation_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    limit: int | Unset = 10,
    page_token: str | Unset = UNSET,
    reverse: bool | Unset = UNSET,
    date_from: datetime.datetime | Unset = UNSET,
) -> DetailedError | MessagePage | None:
    """List conversation messages

     Lists a conversation's messages, at most 100 a page (10 unless limit says otherwise), paged with
    limit and pageToken.

    Args:
        workspace_id (UUID):
        conversation_id (UUID):
        limit (int | Unset):  Default: 10.
        page_token (str | Unset):
        reverse (bool | Unset):
        date_from (datetime.datetime | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        DetailedError | MessagePage
    """

    return (
        await asyncio_detailed(
            workspace_id=workspace_id,
            conversation_id=conversation_id,
            client=client,
            limit=limit,
            page_token=page_token,
            reverse=reverse,
            date_from=date_from,
        )
    ).parsed


# The method, URL, query and headers of this operation, for callers (the overlay) that send
# the request and read the response themselves, with their own retries and errors.
build_request_kwargs = _get_kwargs
