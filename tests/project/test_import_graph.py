"""The package's modules import one another in layers, without a circle, lazy and string imports counted.

``lint-imports`` (the contracts in ``pyproject.toml``, run by ``nox -s lint``) states the layers;
it sees every import statement, lazy and ``TYPE_CHECKING`` ones included, but not a module named
in a string and imported with :mod:`importlib` (the registries: ``_operations.VENDOR_MODULES``,
``cli.command_registry.COMMAND_MODULES``, ``sandbox._fake_registry.FAKE_MODULES``). This test reads the sources
of ``overlay/`` itself (:mod:`tests.import_graph`), strings included, and checks what matters most:
no circle anywhere, the library (foundations, engine, kernel, vendors) imports neither the
command line nor the sandbox, and the sandbox does not import the command line.
"""

from __future__ import annotations

from typing import Final

import pytest

from conversation_clients._logging import GUARDED_LOGGERS
from tests.support.import_graph import find_cycle, imports_of, package_graph, strongly_connected
from tests.support.paths import REPOSITORY

OVERLAY: Final = REPOSITORY / "overlay"
#: The applications on top of the library: the command line, then the sandbox (and the loopback
#: server it serves on). The command line may use the sandbox, never the reverse.
COMMAND_LINE: Final = ("conversation_clients.cli", "conversation_clients.__main__")
SANDBOX: Final = ("conversation_clients.sandbox", "conversation_clients.loopback")
#: The integrations with other tools, each behind its extra: used by the command line, never by the
#: library or the sandbox, so that neither needs the extra.
INTEGRATIONS: Final = ("conversation_clients.dlt",)
# A logger's name looks like a module's; it is no import.
GRAPH: Final = package_graph(OVERLAY, not_imports=frozenset(GUARDED_LOGGERS))


def _under(module: str, roots: tuple[str, ...]) -> bool:
    return any(module == root or module.startswith(f"{root}.") for root in roots)


def _library() -> list[str]:
    return sorted(module for module in GRAPH if not _under(module, COMMAND_LINE + SANDBOX))


def test_the_graph_counts_lazy_type_checking_and_string_imports() -> None:
    # the registries name their modules in strings, read lazily
    assert "conversation_clients.bird" in GRAPH["conversation_clients._operations"]
    assert "conversation_clients.cli.bird_commands" in GRAPH["conversation_clients.cli.command_registry"]
    assert "conversation_clients.sandbox._bird_fake" in GRAPH["conversation_clients.sandbox._fake_registry"]
    # an export is imported by the runner only when one is asked for
    assert "conversation_clients.cli.export" in GRAPH["conversation_clients.cli.runners"]
    # the sandbox is imported by the command line only when --sandbox is given
    assert "conversation_clients.sandbox" in GRAPH["conversation_clients.cli.sandbox_settings"]
    source = (
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n"
        "    from conversation_clients.cli.commands import Option\n"
        'FAKE = "conversation_clients.sandbox._bird_fake:bird_api"\n'
    )
    modules = {name: (OVERLAY / name.replace(".", "/") / "__init__.py").exists() for name in GRAPH}
    assert imports_of(source, "conversation_clients.errors", modules) == {
        "conversation_clients.cli.commands",
        "conversation_clients.sandbox._bird_fake",
    }


def test_there_is_no_import_circle() -> None:
    cycle = find_cycle(GRAPH)
    groups = strongly_connected(GRAPH)
    assert cycle is None, f"an import circle: {' -> '.join(cycle)} (every module in one: {groups})"


@pytest.mark.parametrize("module", _library())
def test_the_library_imports_neither_the_command_line_nor_the_sandbox(module: str) -> None:
    upward = sorted(name for name in GRAPH[module] if _under(name, COMMAND_LINE + SANDBOX))
    assert upward == [], f"{module} imports {upward}: the library must work without them"


@pytest.mark.parametrize("module", sorted(module for module in GRAPH if _under(module, SANDBOX)))
def test_the_sandbox_never_imports_the_command_line(module: str) -> None:
    upward = sorted(name for name in GRAPH[module] if _under(name, COMMAND_LINE))
    assert upward == [], f"{module} imports {upward}: the command line uses the sandbox, not the reverse"


@pytest.mark.parametrize(
    "module", sorted(module for module in GRAPH if not _under(module, COMMAND_LINE + INTEGRATIONS))
)
def test_nothing_but_the_command_line_imports_an_integration(module: str) -> None:
    upward = sorted(name for name in GRAPH[module] if _under(name, INTEGRATIONS))
    assert upward == [], f"{module} imports {upward}: an integration needs its extra, which the rest must not"


def test_the_command_line_names_the_dlt_sources_of_its_loads() -> None:
    # by name, in each vendor's declarations: imported when a load runs
    assert "conversation_clients.dlt" in GRAPH["conversation_clients.cli.bird_commands"]
    assert "conversation_clients.dlt" in GRAPH["conversation_clients.cli.load"]
