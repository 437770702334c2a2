"""The package layering holds: `lint-imports` keeps the contracts in pyproject.toml ([tool.importlinter]),
and fails when one is broken (checked on a contract that the code breaks)."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def lint_imports(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([str(LINT_IMPORTS), "--no-cache", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=300)


def test_the_layer_contracts_are_kept():
    result = lint_imports()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 kept, 0 broken" in result.stdout


def test_a_broken_layer_contract_fails(tmp_path):
    """The CLI imports the service layer: a contract putting the service on top must be reported broken."""
    config = tmp_path / "upside-down.toml"
    config.write_text('[tool.importlinter]\nroot_packages = ["crawler"]\n\n'
                      '[[tool.importlinter.contracts]]\nname = "upside down"\ntype = "layers"\n'
                      'layers = ["crawler.service", "crawler.cli"]\n', encoding="utf-8")
    result = lint_imports("--config", str(config))
    assert result.returncode != 0
    assert "upside down BROKEN" in result.stdout
    assert "crawler.cli" in result.stdout and "crawler.service" in result.stdout
