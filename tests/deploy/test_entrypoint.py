"""The container's entry point, exercised without a container runtime: the same script, the
same commands, a real gunicorn on a free port, production settings."""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ENTRYPOINT = ROOT / "deploy" / "entrypoint.sh"

pytestmark = pytest.mark.filterwarnings("ignore")


def _environment(tmp_path: Path) -> dict[str, str]:
    bin_dir = str(Path(sys.executable).parent)
    return {
        "PATH": f"{bin_dir}:{os.environ.get('PATH', '')}",
        "HOME": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "fortalece.settings",
        "DJANGO_SECRET_KEY": "entrypoint-test-" + "k" * 50,
        "DJANGO_ALLOWED_HOSTS": "fortalece.example.org",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "FORTALECE_VAR_DIR": str(tmp_path),
        "FORTALECE_ENV_FILE": str(tmp_path / "none.env"),
        "WEB_CONCURRENCY": "1",
    }


def _run(args: list[str], env: dict[str, str], timeout: int = 300):
    return subprocess.run(
        ["sh", str(ENTRYPOINT), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_migrate_then_web_serves_health_checks_with_production_settings(tmp_path):
    env = _environment(tmp_path)
    # Static files are collected at image build time; do the same here.
    collected = subprocess.run(
        [sys.executable, "-m", "fortalece", "collectstatic", "--no-input"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert collected.returncode == 0, collected.stderr
    migrated = _run(["migrate"], env)
    assert migrated.returncode == 0, migrated.stdout + migrated.stderr
    listed = _run(["manage", "scheduler", "--list"], env)
    assert listed.returncode == 0, listed.stderr

    port = _free_port()
    server = subprocess.Popen(
        ["sh", str(ENTRYPOINT), "web"],
        env={**env, "PORT": str(port)},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/healthz", headers={"Host": "fortalece.example.org"}
        )
        deadline = time.monotonic() + 60
        status = None
        while time.monotonic() < deadline and server.poll() is None:
            try:
                with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310
                    status = response.status
                    headers = response.headers
                break
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.5)
        assert status == 200, server.stdout.read() if server.poll() is not None else "timeout"
        assert headers["X-Content-Type-Options"] == "nosniff"
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_web_refuses_to_start_without_a_secret_key(tmp_path):
    env = _environment(tmp_path)
    del env["DJANGO_SECRET_KEY"]
    result = _run(["web"], env, timeout=120)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_unknown_role_is_refused_with_the_list_of_roles(tmp_path):
    result = _run(["serve"], _environment(tmp_path), timeout=30)
    assert result.returncode == 2
    assert "migrate, web, worker, scheduler or manage" in result.stderr
