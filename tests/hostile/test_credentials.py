"""Item 4 of issue 9: a credential that fails is a ``CredentialError`` (cause kept, no token shown),
with ``resume_token`` when it fails mid-listing.

Omnichannel only: Bird takes a fixed access key, checked when the client is built, so there is no
credential object to fail during a listing.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.hostile.child import BEARER_TOKEN, CHANNEL_ID, ORGANIZATION_ID
from tests.hostile.harness import REPOSITORY, run_cli, run_listing
from tests.hostile.pages import MODES, item_id, page_body
from tests.hostile.server import json_page, serve
from tests.hostile.test_cli import error_lines

CREDENTIALS = 3
FAILURES = ["raises", "nan", "not_a_string"]


def credential_for(mode: str) -> str:
    return "failing_after" if mode == "sync" else "async_failing_after"


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("failure", FAILURES)
def test_a_credential_failing_mid_listing_is_a_credential_error_with_the_resume_token(failure: str, mode: str) -> None:
    pages = json_page(page_body("omnichannel", [1], "page-2")), json_page(page_body("omnichannel", [2], None))
    with serve(*pages) as server:
        outcome = run_listing(
            "omnichannel", mode, server.base_url, credential=credential_for(mode),
            credential_options={"good": 1, "failure": failure}, timeout=30,
        )  # fmt: skip
        requests = len(server.requests)
    assert outcome.error_type == "CredentialError", outcome.error_message
    assert outcome.resume_token == "page-2"
    assert outcome.items == (item_id(1),)
    assert requests == 1  # nothing sent without a token
    assert BEARER_TOKEN not in (outcome.error_message or "")
    assert "FailingCredential" in (outcome.error_message or "")


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("failure", FAILURES)
def test_a_credential_failing_at_once_is_a_credential_error_before_anything_is_sent(failure: str, mode: str) -> None:
    with serve(json_page(page_body("omnichannel", [1], None))) as server:
        outcome = run_listing(
            "omnichannel", mode, server.base_url, credential=credential_for(mode),
            credential_options={"good": 0, "failure": failure}, timeout=30,
        )  # fmt: skip
        requests = len(server.requests)
    assert outcome.error_type == "CredentialError", outcome.error_message
    assert outcome.resume_token is None
    assert requests == 0


# -- the command line: one line and exit code 3 ---------------------------------------------------

#: A stand-in for azure-identity (not installed here), put first on the child's path: its
#: EnvironmentCredential answers once with a token expiring at once, then as FAILURE says.
FAKE_AZURE_IDENTITY = """
import os
import time
from typing import NamedTuple


class AccessToken(NamedTuple):
    token: object
    expires_on: float


class EnvironmentCredential:
    calls = 0

    def get_token(self, *scopes):
        type(self).calls += 1
        failure = os.environ["FAKE_CREDENTIAL_FAILURE"]
        if type(self).calls <= int(os.environ["FAKE_CREDENTIAL_GOOD"]):
            return AccessToken("entra-token-s3cr3t-DO-NOT-LEAK", time.time())
        if failure == "nan":
            return AccessToken("entra-token-s3cr3t-DO-NOT-LEAK", float("nan"))
        return AccessToken(12345, time.time())

    def close(self):
        pass
"""


def fake_azure_identity(root: Path) -> Path:
    package = root / "azure" / "identity"
    package.mkdir(parents=True)
    (root / "azure" / "__init__.py").write_text("")
    (package / "__init__.py").write_text(FAKE_AZURE_IDENTITY)
    return root


@pytest.mark.parametrize(("failure", "good"), [("not_a_string", 1), ("nan", 0)])
def test_the_cli_prints_one_line_and_exits_3_when_the_credential_fails(tmp_path: Path, failure: str, good: int) -> None:
    pages = json_page(page_body("omnichannel", [1], "page-2")), json_page(page_body("omnichannel", [2], None))
    with serve(*pages) as server:
        arguments = [
            "omnichannel", "list", "--base-url", server.base_url, "--organization-id", ORGANIZATION_ID,
            "--channel-id", CHANNEL_ID, "--scope", "https://example/.default", "--max-retries", "0",
        ]  # fmt: skip
        env = {
            "PYTHONPATH": os.pathsep.join(
                filter(None, [str(fake_azure_identity(tmp_path)), str(REPOSITORY), os.environ.get("PYTHONPATH")])
            ),
            "FAKE_CREDENTIAL_FAILURE": failure,
            "FAKE_CREDENTIAL_GOOD": str(good),
        }
        outcome = run_cli(arguments, env=env, timeout=40)
        requests = len(server.requests)
    assert outcome.exit_code == CREDENTIALS, outcome.stderr_lines
    assert len(error_lines(outcome.stderr_lines)) == 1, outcome.stderr_lines
    assert requests == good
    assert BEARER_TOKEN not in "\n".join(outcome.stderr_lines)
