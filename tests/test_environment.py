"""The environment is what the pins say: requirements.lock, the model's hash file and environment.yml agree,
and the installed packages match the lock exactly."""

from __future__ import annotations

import re
import sys
from importlib import metadata
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
PIN = re.compile(r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)==(?P<version>[^\s;#]+)$")


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def lock_pins() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "requirements.lock").read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        m = PIN.match(line)
        assert m, f"requirements.lock line is not an exact pin: {line!r}"
        pins[_norm(m["name"])] = m["version"]
    return pins


def test_environment_yml_delegates_to_the_lock():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    deps = env["dependencies"]
    conda = [d for d in deps if isinstance(d, str)]
    pip_sections = [d["pip"] for d in deps if isinstance(d, dict)]
    assert sorted(d.split("=")[0] for d in conda) == ["pip", "python"], conda
    python = next(d for d in conda if d.startswith("python"))
    assert python == f"python={sys.version_info.major}.{sys.version_info.minor}", (python, sys.version)
    assert pip_sections == [["-r requirements.lock"]]


def test_model_is_pinned_by_version_and_hash_in_both_files():
    model = [line for line in (ROOT / "requirements-model.txt").read_text().splitlines()
             if line.strip() and not line.startswith("#")]
    assert len(model) == 1
    m = re.match(r"^(\S+)==(\S+) --hash=sha256:([0-9a-f]{64})$", model[0])
    assert m, model[0]
    assert m[3] == "e94cbf6c242453a89af524aaea8e08917b420c11792d6ac662d166b591059779"
    assert lock_pins()[_norm(m[1])] == m[2] == "3.8.0"


def test_installed_packages_match_the_lock():
    pins = lock_pins()
    installed = {_norm(d.metadata["Name"]): d.version for d in metadata.distributions()}
    wrong = {n: (v, installed.get(n)) for n, v in pins.items() if installed.get(n) != v}
    assert not wrong, f"installed versions differ from requirements.lock (pinned, installed): {wrong}"
    unpinned = sorted(set(installed) - set(pins) - {"analysis", "wheel"})
    assert not unpinned, f"installed but not pinned in requirements.lock: {unpinned}"


def test_pyproject_dependencies_are_all_pinned():
    import tomllib

    deps = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    pins = lock_pins()
    for dep in deps:
        name = _norm(re.split(r"[<>=!~\[ ]", dep)[0])
        assert name in pins, f"{dep} is a dependency but not pinned in requirements.lock"
