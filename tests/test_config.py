"""Configuration comes from the environment and fails loudly when it is malformed."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from config import env
from config.env import ConfigError


def test_a_secret_key_is_generated_once_and_reused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SMARTCOURT_SECRET_KEY", raising=False)
    first = env.secret_key(tmp_path)
    assert len(first) >= 50
    assert env.secret_key(tmp_path) == first
    assert stat.S_IMODE((tmp_path / "secret_key").stat().st_mode) == 0o600


def test_a_configured_secret_key_wins_and_must_be_long(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SMARTCOURT_SECRET_KEY", "x" * 40)
    assert env.secret_key(tmp_path) == "x" * 40
    assert not (tmp_path / "secret_key").exists()
    monkeypatch.setenv("SMARTCOURT_SECRET_KEY", "short")
    with pytest.raises(ConfigError, match="at least 32 characters"):
        env.secret_key(tmp_path)


@pytest.mark.parametrize(("raw", "value"), [("1", True), ("true", True), ("off", False), ("0", False)])
def test_booleans(monkeypatch: pytest.MonkeyPatch, raw: str, value: bool) -> None:
    monkeypatch.setenv("SC_FLAG", raw)
    assert env.env_bool("SC_FLAG", not value) is value


def test_malformed_values_name_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SC_FLAG", "maybe")
    with pytest.raises(ConfigError, match="SC_FLAG='maybe' is not a boolean"):
        env.env_bool("SC_FLAG", False)
    monkeypatch.setenv("SC_NUMBER", "ten")
    with pytest.raises(ConfigError, match="SC_NUMBER='ten' is not an integer"):
        env.env_int("SC_NUMBER", 1)
    monkeypatch.setenv("SC_NUMBER", "0")
    with pytest.raises(ConfigError, match="SC_NUMBER=0 is below the minimum 1"):
        env.env_int("SC_NUMBER", 5, minimum=1)
    with pytest.raises(ConfigError, match="SC_MISSING is required"):
        env.env_str("SC_MISSING")


def test_database_url_must_be_postgresql(monkeypatch: pytest.MonkeyPatch) -> None:
    from config import settings

    monkeypatch.setenv("DATABASE_URL", "mysql://root@127.0.0.1/test")
    with pytest.raises(ConfigError, match="must point at PostgreSQL"):
        settings._database()
    monkeypatch.setenv("DATABASE_URL", "postgres://court@db.internal:5432/smartcourt")
    config = settings._database()
    assert (config["ENGINE"], config["NAME"], config["HOST"]) == (
        "django.db.backends.postgresql",
        "smartcourt",
        "db.internal",
    )


def test_sqlite_is_the_default_with_wal_and_immediate_transactions(monkeypatch: pytest.MonkeyPatch) -> None:
    from config import settings

    monkeypatch.delenv("DATABASE_URL", raising=False)
    config = settings._database()
    assert config["ENGINE"] == "django.db.backends.sqlite3"
    options = config["OPTIONS"]
    assert isinstance(options, dict)
    assert options["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in options["init_command"]


def test_debug_is_off_unless_asked_for() -> None:
    from django.conf import settings

    assert settings.DEBUG is False


@pytest.mark.django_db
def test_pages_speak_chinese_first_whatever_the_browser_asks() -> None:
    from django.conf import settings
    from django.test import Client

    browser = Client(HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert "登录".encode() in browser.get("/accounts/login/").content
    browser.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = browser.get("/accounts/login/").content
    assert b"Sign in" in page
    assert "登录".encode() not in page
