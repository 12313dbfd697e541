"""Every CLI command is documented in the README and has an example in its help."""

from __future__ import annotations

from pathlib import Path

import click
import pytest

from counterclaim.cli import cli

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def commands(group: click.Group, prefix: str = "counterclaim") -> list[tuple[str, click.Command]]:
    out = []
    for name, cmd in sorted(group.commands.items()):
        full = f"{prefix} {name}"
        if isinstance(cmd, click.Group):
            out += commands(cmd, full)
        else:
            out.append((full, cmd))
    return out


@pytest.mark.parametrize(("name", "cmd"), commands(cli), ids=[n for n, _ in commands(cli)])
def test_command_is_documented_with_an_example(name, cmd):
    assert name in README, f"{name} is not in README.md"
    assert "Example" in (cmd.help or ""), f"{name} --help has no example"
