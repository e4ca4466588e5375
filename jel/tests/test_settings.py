"""Production mode is safe: check --deploy is clean; a real SECRET_KEY is required."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from jel.email_url import email_settings_from_url

ROOT = Path(__file__).resolve().parents[2]


def _manage(*args, env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    clean.pop("DATABASE_URL", None)
    clean.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )


PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "k3y-for-the-deploy-check-" + "x7Q9zLm2Pw4Rt6Yv8Bn0" * 3,
    "ALLOWED_HOSTS": "jel.example.org",
    "JEL_TESTING": "0",
}


def test_deploy_check_is_clean_in_production_mode(tmp_path):
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env={**PRODUCTION, "JEL_VAR_DIR": str(tmp_path)},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_mode_refuses_to_start_without_a_secret_key(tmp_path):
    env = {**PRODUCTION, "SECRET_KEY": "", "JEL_VAR_DIR": str(tmp_path)}
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_email_url_configures_smtp_with_tls():
    settings = email_settings_from_url(
        "smtp+tls://office%40school.org:s3cret@mail.org:2587"
    )
    assert settings["EMAIL_HOST"] == "mail.org"
    assert settings["EMAIL_PORT"] == 2587
    assert settings["EMAIL_HOST_USER"] == "office@school.org"
    assert settings["EMAIL_USE_TLS"] is True


def test_email_url_with_unknown_scheme_is_refused():
    with pytest.raises(ValueError, match="not one of"):
        email_settings_from_url("carrier-pigeon://coop")
