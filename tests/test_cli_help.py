"""Every command has help text, and the README mentions every command (STYLE: undocumented commands fail)."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from storydesk.cli import main

from .conftest import ROOT

COMMANDS = sorted(main.commands)


@pytest.mark.parametrize("name", COMMANDS)
def test_command_has_help(name: str) -> None:
    result = CliRunner().invoke(main, [name, "--help"])
    assert result.exit_code == 0, result.output
    assert main.commands[name].help, f"`storydesk {name}` has no help text"


@pytest.mark.parametrize("name", COMMANDS)
def test_command_is_in_readme(name: str) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"storydesk {name}" in readme, f"README does not mention `storydesk {name}`"


def test_db_defaults_to_env_variable(tmp_path, monkeypatch) -> None:
    from storydesk.settings import default_db_path

    monkeypatch.setenv("STORYDESK_DB", str(tmp_path / "env.db"))
    assert default_db_path() == tmp_path / "env.db"
