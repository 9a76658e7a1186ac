"""A start_timestamp given as text goes out with every fractional digit it had (issue 9, item 12)."""

from __future__ import annotations

import datetime
from typing import Any
from urllib.parse import quote

import httpx
import pytest

from conversation_clients._checks import require_aware_datetime
from omnichannel_messaging.types import format_datetime, parse_datetime
from tests.integration.harness import OMNI, items

KINDS = ["sync", "async"]


async def sent_start_timestamp(kind: str, start_timestamp: object) -> tuple[str, bytes]:
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"conversations": []})

    client: Any = OMNI.client(kind, "https://api.example", transport=httpx.MockTransport(answer))
    try:
        pager = client.list_conversations(start_timestamp=start_timestamp)
        await items(pager)
    finally:
        if kind == "async":
            await client.aclose()
        else:
            client.close()
    (request,) = seen
    return request.url.params["StartTimeStamp"], request.url.query


@pytest.mark.anyio
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(
    "text",
    [
        "2025-04-15T12:36:40.9049594+02:00",
        "2025-04-15T12:36:40.9049594Z",
        "2025-04-15T10:36:40.123456789-05:30",
        "2025-04-15T12:36:40.1234567+00:00",
    ],
)
async def test_seven_or_more_fractional_digits_go_out_as_given(kind: str, text: str) -> None:
    value, raw_query = await sent_start_timestamp(kind, text)

    assert value == text
    assert quote(text, safe="").encode() in raw_query or text.encode() in raw_query


def test_require_aware_datetime_keeps_the_text_when_given_a_parser_that_keeps_it() -> None:
    value = require_aware_datetime("2025-04-15T12:36:40.9049594+02:00", "start_timestamp", parse=parse_datetime)

    assert format_datetime(value) == "2025-04-15T12:36:40.9049594+02:00"
    assert value.utcoffset() == datetime.timedelta(hours=2)


def test_naive_text_is_still_refused_naming_the_argument() -> None:
    with pytest.raises(ValueError, match="start_timestamp must include a timezone"):
        require_aware_datetime("2025-04-15T12:36:40.9049594", "start_timestamp", parse=parse_datetime)
