"""The generated clients (``openapi/templates/client.py.jinja``): an authenticated client keeps
its token out of its repr.
"""

from __future__ import annotations


def test_generated_authenticated_client_keeps_its_token_out_of_repr() -> None:
    from bird_conversations.client import AuthenticatedClient

    client = AuthenticatedClient(base_url="https://api.bird.com", token="s3cr3t-DO-NOT-LEAK", prefix="AccessKey")
    assert "s3cr3t" not in repr(client)
