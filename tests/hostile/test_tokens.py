"""Item 3 of issue 9: page tokens the client cannot send back.

A server's next token of 65,536 characters, or holding a lone surrogate, is a
``ResponseValidationError`` naming the token field, resuming at the last token that worked;
a caller's is a ``ValueError`` before anything is sent. The command line prints one line.
"""

from __future__ import annotations

import json

import pytest

from tests.hostile.harness import run_cli, run_listing
from tests.hostile.pages import MODES, VENDORS, item_id, page_body
from tests.hostile.server import Behaviour, response, serve
from tests.hostile.test_cli import error_lines, list_command

INVALID_RESPONSE = 7
USAGE = 2
TOO_LONG = "a" * 65_536
# JSON's escape for a lone high surrogate: json.loads reads it back as one
LONE_SURROGATE_JSON = '"abc\\ud800def"'


def token_field(vendor: str) -> str:
    return "nextPageToken" if vendor == "bird" else "continuationtoken"


def page_with_raw_token(vendor: str, number: int, token_json: str) -> Behaviour:
    """A page whose next token is written as the given JSON text (no re-encoding on the way)."""
    body = page_body(vendor, [number], "PLACEHOLDER")
    text = json.dumps(body).replace('"PLACEHOLDER"', token_json)
    return response(200, text.encode(), {"Content-Type": "application/json"})


BAD_TOKENS = {"65536 characters": f'"{TOO_LONG}"', "lone surrogate": LONE_SURROGATE_JSON}


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("vendor", VENDORS)
@pytest.mark.parametrize("bad", list(BAD_TOKENS))
def test_a_server_token_that_cannot_be_sent_is_a_validation_error_with_the_last_good_token(
    bad: str, vendor: str, mode: str
) -> None:
    first = page_with_raw_token(vendor, 1, '"page-2"')
    with serve(first, page_with_raw_token(vendor, 2, BAD_TOKENS[bad])) as server:
        outcome = run_listing(vendor, mode, server.base_url, timeout=30)
        requests = len(server.requests)
    assert outcome.error_type == "ResponseValidationError", outcome.error_message
    assert outcome.error_attributes["field"] == token_field(vendor)
    assert outcome.resume_token == "page-2"
    assert outcome.items == (item_id(1),)
    assert requests == 2


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("vendor", VENDORS)
def test_a_caller_token_that_cannot_be_sent_is_a_value_error_before_anything_is_sent(vendor: str, mode: str) -> None:
    argument = "page_token" if vendor == "bird" else "continuation_token"
    with serve(page_with_raw_token(vendor, 1, "null")) as server:
        outcome = run_listing(vendor, mode, server.base_url, listing_options={argument: TOO_LONG}, timeout=30)
        requests = len(server.requests)
    assert outcome.error_type == "ValueError", outcome.error_message
    assert argument in (outcome.error_message or "")
    assert requests == 0


@pytest.mark.parametrize("vendor", VENDORS)
def test_the_cli_prints_one_line_and_exit_code_7_for_a_server_token_it_cannot_send(vendor: str) -> None:
    first = page_with_raw_token(vendor, 1, '"page-2"')
    with serve(first, page_with_raw_token(vendor, 2, f'"{TOO_LONG}"')) as server:
        arguments, env = list_command(vendor, server.base_url)
        outcome = run_cli(arguments, env=env, timeout=40)
    assert outcome.exit_code == INVALID_RESPONSE, outcome.stderr_lines
    assert len(error_lines(outcome.stderr_lines)) == 1
    assert token_field(vendor) in error_lines(outcome.stderr_lines)[0]
    assert TOO_LONG[:100] not in "\n".join(outcome.stderr_lines)


@pytest.mark.parametrize("vendor", VENDORS)
def test_the_cli_prints_one_line_and_exit_code_2_for_a_caller_token_it_cannot_send(vendor: str) -> None:
    option = "--page-token" if vendor == "bird" else "--continuation-token"
    with serve(page_with_raw_token(vendor, 1, "null")) as server:
        arguments, env = list_command(vendor, server.base_url, option, TOO_LONG)
        outcome = run_cli(arguments, env=env, timeout=40)
        requests = len(server.requests)
    assert outcome.exit_code == USAGE, outcome.stderr_lines
    assert len(error_lines(outcome.stderr_lines)) == 1
    assert requests == 0
