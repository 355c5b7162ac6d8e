"""Docs generated from the code stay current (Datasette's habit): the README's
configuration table is ``app.settings.settings_table()``, and every CLI command is
documented. ``make settings-doc`` rewrites the table."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from pydantic_core import PydanticUndefined

from app.cli import build_parser
from app.settings import Settings, env_example, settings_table
from tests.support import ROOT

README = ROOT / "README.md"
SCRIPT = ROOT / "scripts" / "settings_doc.py"
START, END = "<!-- settings-table:start -->", "<!-- settings-table:end -->"


def readme_table() -> str:
    text = README.read_text(encoding="utf-8")
    assert START in text and END in text, "README.md needs the settings-table markers"
    return text.split(START, 1)[1].split(END, 1)[0].strip()


@pytest.mark.parametrize("name", list(Settings.model_fields))
def test_every_setting_is_in_the_readme_table(name):
    assert f"`REMBUK_{name.upper()}`" in readme_table()


@pytest.mark.parametrize("name", list(Settings.model_fields))
def test_every_setting_has_a_default_and_a_one_line_help(name):
    field = Settings.model_fields[name]
    assert field.default is not PydanticUndefined, f"{name}: Rembuk must start with no configuration"
    assert field.description and "\n" not in field.description
    assert "|" not in field.description  # would break the Markdown table


def test_readme_table_is_generated_from_the_code():
    assert readme_table() == settings_table(), "run `make settings-doc`"


def test_env_example_lists_every_setting_at_its_default():
    text = (ROOT / ".env.example").read_text(encoding="utf-8")
    assert text == env_example(), "run `make settings-doc`"
    for name in Settings.model_fields:
        assert re.search(rf"^# REMBUK_{name.upper()}=", text, re.M), name


def test_a_dotenv_file_configures_rembuk(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("REMBUK_PUBLIC_URL", raising=False)
    (tmp_path / ".env").write_text("REMBUK_PUBLIC_URL=http://192.168.1.10:8000\n", encoding="utf-8")
    assert Settings().public_url == "http://192.168.1.10:8000"
    monkeypatch.setenv("REMBUK_PUBLIC_URL", "http://10.0.0.2:8000")
    assert Settings().public_url == "http://10.0.0.2:8000"  # the environment wins


def test_settings_doc_check_passes_on_the_readme():
    result = subprocess.run([sys.executable, str(SCRIPT), "--check"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr


def test_settings_doc_rewrites_a_stale_table(tmp_path):
    stale = tmp_path / "README.md"
    stale.write_text(f"# Rembuk\n\n{START}\n| old | table |\n{END}\n\nafter\n", encoding="utf-8")
    example = tmp_path / ".env.example"
    files = ["--readme", str(stale), "--env-example", str(example)]
    check = subprocess.run([sys.executable, str(SCRIPT), "--check", *files], capture_output=True, text=True, timeout=60)
    assert check.returncode == 1
    assert "make settings-doc" in check.stderr

    subprocess.run([sys.executable, str(SCRIPT), *files], check=True, capture_output=True, timeout=60)
    text = stale.read_text(encoding="utf-8")
    assert f"{START}\n{settings_table()}\n{END}" in text
    assert text.startswith("# Rembuk\n") and text.endswith("\n\nafter\n")
    assert example.read_text(encoding="utf-8") == env_example()


def test_every_cli_command_is_in_the_readme():
    readme = README.read_text(encoding="utf-8")
    subparsers = next(a for a in build_parser()._actions if a.dest == "command")
    for command in subparsers.choices:
        assert re.search(rf"rembuk {re.escape(command)}\b", readme), f"README does not show `rembuk {command}`"
