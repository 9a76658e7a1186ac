from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.conversation_page import ConversationPage
from ...models.detailed_error import DetailedError
from ...types import UNSET, Response, Unset


def _get_kwargs(
    workspace_id: UUID,
    *,
    limit: int | Unset = 10,
    page_token: str | Unset = UNSET,
    reverse: bool | Unset = UNSET,
    resource: str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["limit"] = limit

    params["pageToken"] = page_token

    params["reverse"] = reverse

    params["resource"] = resource

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/workspaces/{workspace_id}/conversations".format(
            workspace_id=quote(str(workspace_id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ConversationPage | DetailedError | None:
    if response.status_code == 200:
        response_200 = ConversationPage.from_dict(response.json())

        return response_200

    if response.status_code == 404:
        response_404 = DetailedError.from_dict(response.json())

        return response_404

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ConversationPage | DetailedError]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    workspace_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    limit: int | Unset = 10,
    page_token: str | Unset = UNSET,
    reverse: bool | Unset = UNSET,
    resource: str | Unset = UNSET,
) -> Response[ConversationPage | DetailedError]:
    """List conversations

     List all conversations across the workspace. This will return a maximum of 100 conversations per
    page, with 10 as default. You can use the `limit` and `pageToken` query parameters to paginate the
    results. Learn more about pagination in the Common API Usage pagination section.

    Args:
        workspace_id (UUID):
        limit (int | Unset):  Default: 10.
        page_token (str | Unset):
        reverse (bool | Unset):
        resource (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ConversationPage | DetailedError]
    """

    kwargs = _get_kwargs(
        workspace_id=workspace_id,
        limit=limit,
        page_token=page_token,
        reverse=reverse,
        resource=resource,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    workspace_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    limit: int | Unset = 10,
    page_token: str | Unset = UNSET,
    reverse: bool | Unset = UNSET,
    resource: str | Unset = UNSET,
) -> ConversationPage | DetailedError | None:
    """List conversations

     List all conversations across the workspace. This will return a maximum of 100 conversations per
    page, with 10 as default. You can use the `limit` and `pageToken` query parameters to paginate the
    results. Learn more about pagination in the Common API Usage pagination section.

    Args:
        workspace_id (UUID):
        limit (int | Unset):  Default: 10.
        page_token (str | Unset):
        reverse (bool | Unset):
        resource (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ConversationPage | DetailedError
    """

    return sync_detailed(
        workspace_id=workspace_id,
        client=client,
        limit=limit,
        page_token=page_token,
        reverse=reverse,
        resource=resource,
    ).parsed


async def asyncio_detailed(
    workspace_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    limit: int | Unset = 10,
    page_token: str | Unset = UNSET,
    reverse: bool | Unset = UNSET,
    resource: str | Unset = UNSET,
) -> Response[ConversationPage | DetailedError]:
    """List conversations

     List all conversations across the workspace. This will return a maximum of 100 conversations per
    page, with 10 as default. You can use the `limit` and `pageToken` query parameters to paginate the
    results. Learn more about pagination in the Common API Usage pagination section.

    Args:
        workspace_id (UUID):
        limit (int | Unset):  Default: 10.
        page_token (str | Unset):
        reverse (bool | Unset):
        resource (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ConversationPage | DetailedError]
    """

    kwargs = _get_kwargs(
        workspace_id=workspace_id,
        limit=limit,
        page_token=page_token,
        reverse=reverse,
        resource=resource,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    workspace_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    limit: int | Unset = 10,
    page_token: str | Unset = UNSET,
    reverse: bool | Unset = UNSET,
    resource: str | Unset = UNSET,
) -> ConversationPage | DetailedError | None:
    """List conversations

     List all conversations across the workspace. This will return a maximum of 100 conversations per
    page, with 10 as default. You can use the `limit` and `pageToken` query parameters to paginate the
    results. Learn more about pagination in the Common API Usage pagination section.

    Args:
        workspace_id (UUID):
        limit (int | Unset):  Default: 10.
        page_token (str | Unset):
        reverse (bool | Unset):
        resource (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ConversationPage | DetailedError
    """

    return (
        await asyncio_detailed(
            workspace_id=workspace_id,
            client=client,
            limit=limit,
            page_token=page_token,
            reverse=reverse,
            resource=resource,
        )
    ).parsed


# The method, URL, query and headers of this operation, for callers (the overlay) that send
# the request and read the response themselves, with their own retries and errors.
build_request_kwargs = _get_kwargs
