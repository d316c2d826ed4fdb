import os
import subprocess
import sys

import pytest


def test_production_settings_pass_check_deploy(tmp_path):
    env = {
        "PATH": os.environ.get("PATH", ""),
        "DJANGO_SETTINGS_MODULE": "fortalece.settings",
        "DJANGO_SECRET_KEY": "k" * 20
        + "-production-like-secret-key-with-enough-entropy-0123456789",
        "DJANGO_ALLOWED_HOSTS": "fortalece.example.org",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "FORTALECE_VAR_DIR": str(tmp_path),
        "FORTALECE_ENV_FILE": str(tmp_path / "no-such.env"),  # a server has no checkout .env
    }
    result = subprocess.run(
        [sys.executable, "-m", "fortalece", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    env = {
        "PATH": os.environ.get("PATH", ""),
        "DJANGO_SETTINGS_MODULE": "fortalece.settings",
        "FORTALECE_VAR_DIR": str(tmp_path),
        "FORTALECE_ENV_FILE": str(tmp_path / "no-such.env"),  # a server has no checkout .env
    }
    result = subprocess.run(
        [sys.executable, "-m", "fortalece", "check"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_local_env_file_written_by_setup_lets_commands_run_without_variables(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text("DJANGO_SECRET_KEY=generated-local-key-0123456789\nDJANGO_DEBUG=1\n")
    env = {
        "PATH": os.environ.get("PATH", ""),
        "DJANGO_SETTINGS_MODULE": "fortalece.settings",
        "FORTALECE_VAR_DIR": str(tmp_path),
        "FORTALECE_ENV_FILE": str(env_file),
    }
    result = subprocess.run(
        [sys.executable, "-m", "fortalece", "check"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


pytestmark = pytest.mark.filterwarnings("ignore")


def test_uploaded_files_go_to_private_object_storage_when_a_bucket_is_configured(tmp_path):
    env = {
        "PATH": os.environ.get("PATH", ""),
        "DJANGO_SETTINGS_MODULE": "fortalece.settings",
        "DJANGO_SECRET_KEY": "k" * 60,
        "FORTALECE_VAR_DIR": str(tmp_path),
        "FORTALECE_ENV_FILE": str(tmp_path / "no-such.env"),
        "FORTALECE_S3_BUCKET": "fortalece-media",
        "FORTALECE_S3_ENDPOINT_URL": "http://127.0.0.1:9000",
        "FORTALECE_S3_ACCESS_KEY_ID": "minio",
        "FORTALECE_S3_SECRET_ACCESS_KEY": "minio-secret",
    }
    script = (
        "import django; django.setup();"
        "from django.core.files.storage import default_storage as s;"
        "print(type(s._wrapped).__name__ if s.bucket_name else 0, s.bucket_name,"
        " s.endpoint_url, s.default_acl, s.file_overwrite)"
    )
    result = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "S3Storage",
        "fortalece-media",
        "http://127.0.0.1:9000",
        "private",
        "False",
    ]
