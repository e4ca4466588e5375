"""`make run` serves where it says: bin/dev honours PORT, and the links JEL
e-mails (JEL_BASE_URL) follow it unless JEL_BASE_URL is set."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _env(tmp_path, **extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    for name in ("DATABASE_URL", "REDIS_URL", "PORT", "JEL_BASE_URL"):
        env.pop(name, None)
    env.update(JEL_VAR_DIR=str(tmp_path), **extra)
    return env


def _base_url(tmp_path, **extra):
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "shell",
            "-c",
            "from django.conf import settings; print(settings.JEL_BASE_URL)",
        ],
        cwd=ROOT,
        env=_env(tmp_path, **extra),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_jel_base_url_comes_from_the_environment_and_follows_port(tmp_path):
    assert _base_url(tmp_path) == "http://127.0.0.1:8000"
    assert _base_url(tmp_path, PORT="8123") == "http://127.0.0.1:8123"
    assert (
        _base_url(tmp_path, PORT="8123", JEL_BASE_URL="https://jel.example.org/")
        == "https://jel.example.org"
    )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_bin_dev_serves_on_port_and_says_where(tmp_path):
    port = _free_port()
    dev = subprocess.Popen(
        ["bin/dev"],
        cwd=ROOT,
        env=_env(tmp_path, PORT=str(port)),
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        start_new_session=True,
    )
    try:
        said = dev.stdout.readline() + dev.stdout.readline()
        assert f"JEL is at http://127.0.0.1:{port}/" in said
        assert f"Links in e-mail point at http://127.0.0.1:{port}/" in said
        deadline = time.monotonic() + 60
        while True:
            try:
                # Any answer will do (its database is empty): the port is served.
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5)
                break
            except urllib.error.HTTPError:
                break
            except OSError:
                assert time.monotonic() < deadline, "nothing answers on PORT"
                time.sleep(0.5)
    finally:
        os.killpg(dev.pid, signal.SIGTERM)
        try:
            dev.wait(timeout=30)
        except subprocess.TimeoutExpired:
            # A loaded machine: the worker's warm shutdown may take longer.
            os.killpg(dev.pid, signal.SIGKILL)
            dev.wait(timeout=30)
