"""Run Mozilla's ical.js (npm `ical.js`, in node_modules) over .ics files.

ical.js is the parser of Thunderbird and Nextcloud; scheduling/tests/js/
ical_instants.mjs prints what it reads. Without Node or the package the tests
that need it skip, except under CI=true, where a missing tool fails.
"""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

SCRIPT = Path(__file__).parent / "js" / "ical_instants.mjs"
ROOT = Path(settings.BASE_DIR)


def _missing() -> str:
    if shutil.which("node") is None:
        return "Node.js is not installed"
    if not (ROOT / "node_modules" / "ical.js" / "package.json").exists():
        return "node_modules/ical.js is missing (run `npm ci`)"
    return ""


def require_ical_js() -> None:
    """Skip (fail under CI=true) when ical.js cannot be run here."""
    missing = _missing()
    if not missing:
        return
    message = f"ical.js check not run: {missing}"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


def read_with_ical_js(paths) -> list[dict]:
    """One dict per VEVENT of each file, as ical.js reads it (see the script)."""
    require_ical_js()
    paths = [str(p) for p in paths]
    result = subprocess.run(
        ["node", str(SCRIPT), *paths],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines() if line]
