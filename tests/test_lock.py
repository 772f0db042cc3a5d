"""The lock files `make` installs from name every dependency pyproject.toml declares: a
dependency added to pyproject.toml without `make lock` would be missing on a fresh machine."""

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _name(requirement: str) -> str:
    return re.split(r"[\s\[<>=!~;]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def _locked(path: Path) -> set[str]:
    names = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        match = re.match(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==", line)
        if match:
            names.add(match.group(1).lower().replace("_", "-"))
    return names


def test_every_declared_dependency_is_in_the_locks():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    runtime = {_name(r) for r in project["dependencies"]}
    extras = project["optional-dependencies"]
    dev = runtime | {_name(r) for r in extras["dev"]} | {_name(r) for r in extras["postgres"]}
    assert runtime - _locked(ROOT / "requirements.lock") == set(), "run `make lock`"
    assert dev - _locked(ROOT / "requirements-dev.lock") == set(), "run `make lock`"
