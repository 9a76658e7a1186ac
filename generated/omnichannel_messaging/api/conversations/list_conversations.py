import datetime
from http import HTTPStatus
from typing import Any
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.active_conversation_page import ActiveConversationPage
from ...models.problem_details import ProblemDetails
from ...types import UNSET, Response, Unset, format_datetime


def _get_kwargs(
    *,
    start_time_stamp: datetime.datetime | Unset = UNSET,
    page_size: int | Unset = 50,
    continuation_token: str | Unset = UNSET,
    channel_id: UUID,
    organization_id: UUID,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    headers["channel-id"] = str(channel_id)

    headers["organization-id"] = str(organization_id)

    params: dict[str, Any] = {}

    json_start_time_stamp: str | Unset = UNSET
    if not isinstance(start_time_stamp, Unset):
        json_start_time_stamp = format_datetime(start_time_stamp)
    params["StartTimeStamp"] = json_start_time_stamp

    params["PageSize"] = page_size

    params["ContinuationToken"] = continuation_token

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1.0/consumer/conversations",
        "params": params,
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ActiveConversationPage | ProblemDetails | None:
    if response.status_code == 200:
        response_200 = ActiveConversationPage.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = ProblemDetails.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = ProblemDetails.from_dict(response.json())

        return response_401

    if response.status_code == 404:
        response_404 = ProblemDetails.from_dict(response.json())

        return response_404

    if response.status_code == 429:
        response_429 = ProblemDetails.from_dict(response.json())

        return response_429

    if response.status_code == 500:
        response_500 = ProblemDetails.from_dict(response.json())

        return response_500

    if response.status_code == 503:
        response_503 = ProblemDetails.from_dict(response.json())

        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ActiveConversationPage | ProblemDetails]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    start_time_stamp: datetime.datetime | Unset = UNSET,
    page_size: int | Unset = 50,
    continuation_token: str | Unset = UNSET,
    channel_id: UUID,
    organization_id: UUID,
) -> Response[ActiveConversationPage | ProblemDetails]:
    """List active conversations

     Lists the active conversations created through the custom channel. Conversations in Wrap-Up or
    Closed states are not included; the list is empty when none is active. The endpoint must not be used
    as a polling mechanism: conversation events are posted to the subscribed webhook.

    Args:
        start_time_stamp (datetime.datetime | Unset):
        page_size (int | Unset):  Default: 50.
        continuation_token (str | Unset):
        channel_id (UUID):
        organization_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ActiveConversationPage | ProblemDetails]
    """

    kwargs = _get_kwargs(
        start_time_stamp=start_time_stamp,
        page_size=page_size,
        continuation_token=continuation_token,
        channel_id=channel_id,
        organization_id=organization_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    start_time_stamp: datetime.datetime | Unset = UNSET,
    page_size: int | Unset = 50,
    continuation_token: str | Unset = UNSET,
    channel_id: UUID,
    organization_id: UUID,
) -> ActiveConversationPage | ProblemDetails | None:
    """List active conversations

     Lists the active conversations created through the custom channel. Conversations in Wrap-Up or
    Closed states are not included; the list is empty when none is active. The endpoint must not be used
    as a polling mechanism: conversation events are posted to the subscribed webhook.

    Args:
        start_time_stamp (datetime.datetime | Unset):
        page_size (int | Unset):  Default: 50.
        continuation_token (str | Unset):
        channel_id (UUID):
        organization_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ActiveConversationPage | ProblemDetails
    """

    return sync_detailed(
        client=client,
        start_time_stamp=start_time_stamp,
        page_size=page_size,
        continuation_token=continuation_token,
        channel_id=channel_id,
        organization_id=organization_id,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    start_time_stamp: datetime.datetime | Unset = UNSET,
    page_size: int | Unset = 50,
    continuation_token: str | Unset = UNSET,
    channel_id: UUID,
    organization_id: UUID,
) -> Response[ActiveConversationPage | ProblemDetails]:
    """List active conversations

     Lists the active conversations created through the custom channel. Conversations in Wrap-Up or
    Closed states are not included; the list is empty when none is active. The endpoint must not be used
    as a polling mechanism: conversation events are posted to the subscribed webhook.

    Args:
        start_time_stamp (datetime.datetime | Unset):
        page_size (int | Unset):  Default: 50.
        continuation_token (str | Unset):
        channel_id (UUID):
        organization_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ActiveConversationPage | ProblemDetails]
    """

    kwargs = _get_kwargs(
        start_time_stamp=start_time_stamp,
        page_size=page_size,
        continuation_token=continuation_token,
        channel_id=channel_id,
        organization_id=organization_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    start_time_stamp: datetime.datetime | Unset = UNSET,
    page_size: int | Unset = 50,
    continuation_token: str | Unset = UNSET,
    channel_id: UUID,
    organization_id: UUID,
) -> ActiveConversationPage | ProblemDetails | None:
    """List active conversations

     Lists the active conversations created through the custom channel. Conversations in Wrap-Up or
    Closed states are not included; the list is empty when none is active. The endpoint must not be used
    as a polling mechanism: conversation events are posted to the subscribed webhook.

    Args:
        start_time_stamp (datetime.datetime | Unset):
        page_size (int | Unset):  Default: 50.
        continuation_token (str | Unset):
        channel_id (UUID):
        organization_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ActiveConversationPage | ProblemDetails
    """

    return (
        await asyncio_detailed(
            client=client,
            start_time_stamp=start_time_stamp,
            page_size=page_size,
            continuation_token=continuation_token,
            channel_id=channel_id,
            organization_id=organization_id,
        )
    ).parsed


# The method, URL, query and headers of this operation, for callers (the overlay) that send
# the request and read the response themselves, with their own retries and errors.
build_request_kwargs = _get_kwargs
