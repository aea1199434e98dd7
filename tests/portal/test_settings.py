"""Settings read from the environment fail loudly on malformed values."""

import os
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from portal.settings.base import env_bool, env_rate
from tests.conftest import BASE_DIR


def test_malformed_boolean_is_refused(monkeypatch):
    monkeypatch.setenv("DEBUG", "maybe")
    with pytest.raises(ImproperlyConfigured):
        env_bool("DEBUG", False)


def test_malformed_rate_is_refused(monkeypatch):
    monkeypatch.setenv("RATELIMIT_SEARCH", "ten per minute")
    with pytest.raises(ImproperlyConfigured):
        env_rate("RATELIMIT_SEARCH", "1/1")


def _manage(*args, **env):
    full_env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "SECRET_KEY", "DEBUG"}}
    full_env.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=BASE_DIR, env=full_env, capture_output=True, text=True, timeout=120
    )


def _production(tmp_path, **env):
    from desk.receipts import generate_key_file

    key_file = tmp_path / "receipt-key.pem"
    if not key_file.exists():
        generate_key_file(key_file)
    return {
        "DJANGO_SETTINGS_MODULE": "portal.settings.production",
        "SECRET_KEY": "k" * 20 + "9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c3b2a1",
        "ALLOWED_HOSTS": "portal.example.gov.cn",
        "PORTAL_BASE_URL": "https://portal.example.gov.cn",
        "PORTAL_SIGNING_KEY_FILE": str(key_file),
        "PORTAL_DATA_DIR": str(tmp_path),
        **env,
    }


def test_production_settings_pass_check_deploy_without_warnings(tmp_path):
    result = _manage("check", "--deploy", "--fail-level", "WARNING", **_production(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_secret_key(tmp_path):
    result = _manage(
        "check",
        DJANGO_SETTINGS_MODULE="portal.settings.production",
        ALLOWED_HOSTS="portal.example.gov.cn",
        PORTAL_DATA_DIR=str(tmp_path),
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


@pytest.mark.parametrize(
    ("missing", "env", "message"),
    [
        ("signing key", {"PORTAL_SIGNING_KEY_FILE": ""}, "PORTAL_SIGNING_KEY_FILE"),
        ("signing key file", {"PORTAL_SIGNING_KEY_FILE": "/nonexistent/key.pem"}, "PORTAL_SIGNING_KEY_FILE"),
        ("base URL", {"PORTAL_BASE_URL": ""}, "PORTAL_BASE_URL"),
        ("base URL in ALLOWED_HOSTS", {"PORTAL_BASE_URL": "https://elsewhere.example.com"}, "ALLOWED_HOSTS"),
        ("a base URL, not a page", {"PORTAL_BASE_URL": "https://portal.example.gov.cn/zh-hans/"}, "PORTAL_BASE_URL"),
    ],
)
def test_production_refuses_to_start_without_receipt_settings(tmp_path, missing, env, message):
    """Receipts are signed with the bureau's own key and link to the portal's public address."""
    result = _manage("check", **_production(tmp_path, **env))
    assert result.returncode != 0, missing
    assert message in result.stderr
