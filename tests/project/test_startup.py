"""Starting fast: ``import conversation_clients`` and the command line load only what they use (issue 18).

The package imports each public name from its module on first use (PEP 562); the checkers see
every name through its ``TYPE_CHECKING`` imports. What a fresh interpreter loads is measured in
child processes, each a ``python -c`` of the interpreter running the tests, with this source
tree first on its path.

Where click is installed (it is in some development environments: mkdocs brings it), ``import
httpx`` alone loads rich, through ``httpx._main``'s command line. What httpx loads by itself is
not ours, so each check here leaves out the modules that ``import httpx`` loads in a process of its
own; in a plain install of the package (no click) that is no rich at all. The benchmark rows
``startup-import`` and ``startup-help`` (``benchmarks/bench_startup.py``) measure the time.
"""

from __future__ import annotations

import ast
import importlib
import json
import subprocess
import sys
from pathlib import Path
from typing import Final

import pytest

import conversation_clients
from tests.support.command_line import cli_env
from tests.support.paths import REPOSITORY

ROOT: Final = REPOSITORY
PACKAGE_INIT: Final = ROOT / "overlay" / "conversation_clients" / "__init__.py"
#: What a library import never loads: the command line, the sandbox, the export's live display.
NEVER_WITH_THE_LIBRARY: Final = ("conversation_clients.cli", "conversation_clients.sandbox")
#: What neither the library nor ``--help`` loads, unless ``import httpx`` alone does (click installed).
NOT_OURS_TO_LOAD: Final = ("rich",)
#: What importing the package leaves for first use: each vendor's client and generated models.
LEFT_FOR_FIRST_USE: Final = (
    "conversation_clients.bird",
    "conversation_clients.omnichannel",
    "bird_conversations",
    "omnichannel_messaging",
)


def _loaded_by(code: str) -> set[str]:
    """The modules a fresh interpreter has loaded after running ``code``."""
    script = f"import json, sys\n{code}\nprint(json.dumps(sorted(sys.modules)))"
    done = subprocess.run(
        [sys.executable, "-c", script], env=cli_env(), capture_output=True, text=True, timeout=60, check=True
    )
    loaded: list[str] = json.loads(done.stdout.splitlines()[-1])
    return set(loaded)


def _under(modules: set[str], roots: tuple[str, ...]) -> list[str]:
    return sorted(name for name in modules if any(name == root or name.startswith(f"{root}.") for root in roots))


@pytest.fixture(scope="module")
def loaded_by_httpx() -> set[str]:
    """What ``import httpx`` loads by itself in this interpreter (rich, where click is installed)."""
    return _loaded_by("import httpx")


@pytest.mark.subprocess
def test_importing_the_package_loads_no_command_line_no_sandbox_and_no_rich(loaded_by_httpx: set[str]) -> None:
    loaded = _loaded_by("import conversation_clients")
    assert _under(loaded, NEVER_WITH_THE_LIBRARY) == []
    assert _under(loaded - loaded_by_httpx, NOT_OURS_TO_LOAD) == []


@pytest.mark.subprocess
def test_importing_the_package_loads_no_vendor_client_no_generated_model_and_no_httpx() -> None:
    loaded = _loaded_by("import conversation_clients")
    assert _under(loaded, (*LEFT_FOR_FIRST_USE, "httpx", "asyncio")) == []
    # what must run at import still does: the log guards
    assert "conversation_clients._logging" in loaded


@pytest.mark.subprocess
def test_a_public_name_loads_its_module_on_first_use() -> None:
    loaded = _loaded_by("import conversation_clients\nconversation_clients.BirdClient")
    assert "conversation_clients.bird" in loaded
    assert _under(loaded, ("conversation_clients.omnichannel", "omnichannel_messaging")) == []


@pytest.mark.subprocess
def test_star_import_gives_every_public_name() -> None:
    code = "from conversation_clients import *\nnames = dir()\nprint(json.dumps(names))\n"
    done = subprocess.run(
        [sys.executable, "-c", f"import json\n{code}"],
        env=cli_env(),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert set(conversation_clients.__all__) <= set(json.loads(done.stdout))


def _type_checking_imports() -> dict[str, str]:
    """The names ``__init__.py`` imports under ``if TYPE_CHECKING:``, and their modules."""
    tree = ast.parse(PACKAGE_INIT.read_text(encoding="utf-8"))
    found: dict[str, str] = {}
    for node in tree.body:
        if isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING":
            for statement in node.body:
                assert isinstance(statement, ast.ImportFrom) and statement.module is not None
                found.update({alias.asname or alias.name: statement.module for alias in statement.names})
    return found


def test_the_lazy_names_are_the_type_checking_imports_and_with_the_eager_ones_all_of_all() -> None:
    lazy: dict[str, str] = vars(conversation_clients)["_LAZY_NAMES"]
    assert _type_checking_imports() == lazy
    eager = set(conversation_clients.__all__) - set(lazy)
    assert eager == {"LOG_ENV"}
    assert set(conversation_clients.__all__) <= set(dir(conversation_clients))


@pytest.mark.parametrize("name", sorted(conversation_clients.__all__))
def test_each_public_name_is_its_modules_own(name: str) -> None:
    lazy: dict[str, str] = vars(conversation_clients)["_LAZY_NAMES"]
    value = getattr(conversation_clients, name)
    if name in lazy:
        assert value is getattr(importlib.import_module(lazy[name]), name)
        assert vars(conversation_clients)[name] is value  # kept: the next lookup is a plain one


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="module 'conversation_clients' has no attribute 'BirdClinet'"):
        _ = conversation_clients.BirdClinet  # type: ignore[attr-defined]  # pyright: ignore[reportAttributeAccessIssue]


# --- the command line ---

HELP: Final = "from conversation_clients.cli import main\nmain(['--help'])"
#: What ``--help`` never loads: the sandbox, an export's machinery, the clients, their operations and
#: the generated models, the version's metadata, httpx and asyncio.
NEVER_FOR_HELP: Final = (
    "conversation_clients.sandbox",
    "conversation_clients.cli.export",
    *LEFT_FOR_FIRST_USE,
    "conversation_clients._operations.bird_conversations",
    "conversation_clients._operations.omnichannel_messaging",
    "conversation_clients._version",
    "httpx",
    "asyncio",
)


@pytest.mark.subprocess
def test_help_loads_no_client_no_model_no_sandbox_no_export_no_httpx_and_no_rich(loaded_by_httpx: set[str]) -> None:
    loaded = _loaded_by(f"import contextlib, io\nwith contextlib.redirect_stdout(io.StringIO()):\n    {HELP}")
    assert _under(loaded, NEVER_FOR_HELP) == []
    assert _under(loaded - loaded_by_httpx, NOT_OURS_TO_LOAD) == []


# --- the dask extra: loaded by an export on Dask only ---

#: What the ``dask`` extra brings, and the package's module that uses it: loaded by ``--dask`` only.
DASK_EXTRA: Final = ("conversation_clients.dask", "dask", "distributed", "fsspec")


@pytest.mark.subprocess
def test_neither_the_package_nor_help_loads_dask_distributed_or_fsspec() -> None:
    assert _under(_loaded_by("import conversation_clients"), DASK_EXTRA) == []
    help_run = f"import contextlib, io\nwith contextlib.redirect_stdout(io.StringIO()):\n    {HELP}"
    assert _under(_loaded_by(help_run), DASK_EXTRA) == []


@pytest.mark.subprocess
def test_an_export_without_dask_loads_none_of_it(tmp_path: Path) -> None:
    out = tmp_path / "out"
    run = (
        "import contextlib, io\nfrom conversation_clients.cli import main\n"
        f"with contextlib.redirect_stderr(io.StringIO()):\n    assert main(['bird', 'export', '--sandbox', '--out', {str(out)!r}]) == 0"
    )
    loaded = _loaded_by(run)
    assert "conversation_clients.cli.export" in loaded and (out / "export-checkpoint.json").exists()
    assert _under(loaded, DASK_EXTRA) == []


# --- the dlt extra: loaded by a load only ---

#: What the ``dlt`` extra brings, and the package's module that uses it: loaded by ``VENDOR load`` only.
DLT_EXTRA: Final = ("conversation_clients.dlt", "dlt", "duckdb")
LOAD_HELP: Final = "from conversation_clients.cli import main\nmain(['bird', 'load', '--help'])"
LISTING: Final = "from conversation_clients.cli import main\nmain(['bird', 'list', '--sandbox', '--max-items', '3'])"


@pytest.mark.subprocess
@pytest.mark.parametrize(
    "code", ["import conversation_clients", HELP, LOAD_HELP, LISTING], ids=["import", "help", "load-help", "listing"]
)
def test_neither_the_package_nor_help_nor_a_listing_loads_dlt_or_duckdb(code: str) -> None:
    indented = code.replace("\n", "\n    ")
    loaded = _loaded_by(f"import contextlib, io\nwith contextlib.redirect_stdout(io.StringIO()):\n    {indented}")
    assert _under(loaded, DLT_EXTRA) == []
    if code == LOAD_HELP:  # the load's own options were read, without dlt
        assert "conversation_clients.cli.load_options" in loaded


@pytest.mark.subprocess
def test_without_dlt_the_integration_says_which_extra_to_install() -> None:
    code = (
        "import sys\nsys.modules['dlt'] = None  # as if not installed\n"
        "try:\n    import conversation_clients.dlt\nexcept ModuleNotFoundError as error:\n"
        "    print(error.name, error)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], env=cli_env(), capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout.startswith("dlt conversation_clients.dlt needs dlt: pip install 'conversation-clients[dlt]'")
