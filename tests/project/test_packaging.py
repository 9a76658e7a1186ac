"""One distribution carries the three import packages, each typed, with the specs it was built from."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.support.paths import REPOSITORY

pytestmark = pytest.mark.subprocess
ROOT = REPOSITORY


def test_wheel_carries_all_three_typed_packages(tmp_path: Path) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path),
            str(ROOT),
        ],
        check=True,
    )
    (wheel,) = tmp_path.glob("conversation_clients-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())

    for package in ("bird_conversations", "omnichannel_messaging", "conversation_clients"):
        assert f"{package}/__init__.py" in names
        assert f"{package}/py.typed" in names
    assert "bird_conversations/openapi.json" in names
    assert "omnichannel_messaging/openapi.json" in names
    assert "bird_conversations/models/conversation.py" in names
    assert not any(name.startswith(("generated/", "overlay/", "tests/", "openapi/")) for name in names)
