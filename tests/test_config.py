"""Configuration errors name the file, the line, the key and the fix; the CLI exits 2."""

import subprocess
import sys
from pathlib import Path

import pytest

from bot.config import TOKEN_ENV, ConfigError, load_settings

ROOT = Path(__file__).resolve().parents[1]


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_example_config_is_valid():
    settings = load_settings(ROOT / "config.example.yaml", env={})
    assert settings.timezone == "America/Lima"
    assert settings.telegram.api_base_url is None
    assert settings.database_url.startswith("sqlite:///")
    assert (settings.knowledge_dir / "mensajes.yaml").exists()


def test_env_token_overrides_file(tmp_path):
    path = write(tmp_path, "telegram:\n  token: 'from-file'\n")
    assert load_settings(path, env={TOKEN_ENV: "from-env"}).telegram.token == "from-env"
    assert load_settings(path, env={}).telegram.token == "from-file"


def test_missing_token(tmp_path):
    path = write(tmp_path, "telegram:\n  api_base_url: null\n")
    with pytest.raises(ConfigError) as err:
        load_settings(path, env={})
    assert str(err.value) == (
        f"{path}:1: telegram.token: missing. Put the token from @BotFather here "
        f"or set {TOKEN_ENV}."
    )


def test_unknown_key_names_line_and_choices(tmp_path):
    path = write(tmp_path, "telegram:\n  token: x\n  tokn: y\n")
    with pytest.raises(ConfigError) as err:
        load_settings(path, env={})
    assert str(err.value).startswith(f"{path}:3: telegram.tokn: unknown key.")
    assert "api_base_url, token" in str(err.value)


def test_unknown_section(tmp_path):
    path = write(tmp_path, "telegram:\n  token: x\ndatabse:\n  url: y\n")
    with pytest.raises(ConfigError, match=r":3: databse: unknown key"):
        load_settings(path, env={})


def test_wrong_type(tmp_path):
    path = write(tmp_path, "telegram:\n  token: x\nstaff:\n  admins: 12345\n")
    with pytest.raises(ConfigError, match=r":4: staff.admins: must be a list"):
        load_settings(path, env={})


def test_admin_not_a_number(tmp_path):
    path = write(tmp_path, "telegram:\n  token: x\nstaff:\n  admins: ['@ana']\n")
    with pytest.raises(ConfigError, match=r"staff.admins: '@ana' is not a Telegram user id"):
        load_settings(path, env={})


def test_bad_timezone(tmp_path):
    path = write(tmp_path, "telegram:\n  token: x\ntimezone: Lima/Peru\n")
    with pytest.raises(ConfigError, match=r":3: timezone: 'Lima/Peru' is not a known time zone"):
        load_settings(path, env={})


def test_broken_yaml(tmp_path):
    path = write(tmp_path, "telegram:\n  token: 'x\n  other: 1\n")
    with pytest.raises(ConfigError, match=r"not valid YAML"):
        load_settings(path, env={})


def test_file_base_url_derived(tmp_path):
    path = write(tmp_path, "telegram:\n  token: x\n  api_base_url: http://127.0.0.1:8081/bot\n")
    tg = load_settings(path, env={}).telegram
    assert tg.file_base_url == "http://127.0.0.1:8081/file/bot"


def test_cli_exits_2_with_one_line_and_no_traceback(tmp_path):
    path = write(tmp_path, "telegram:\n  token: ''\n")
    env = {"PATH": "/usr/bin:/bin"}
    proc = subprocess.run(
        [sys.executable, "-m", "bot", "db", "upgrade", "--config", str(path)],
        capture_output=True, text=True, cwd=ROOT, env=env, timeout=60,
    )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert proc.stderr.strip().count("\n") == 0
    assert "telegram.token: missing" in proc.stderr


def test_cli_help_lists_commands():
    proc = subprocess.run(
        [sys.executable, "-m", "bot", "--help"], capture_output=True, text=True, cwd=ROOT,
        timeout=60,
    )
    assert proc.returncode == 0
    for command in ("run", "demo", "db"):
        assert command in proc.stdout


def test_closing_dates_per_period(tmp_path):
    path = write(tmp_path, "telegram:\n  token: x\nreports:\n  closing_dates:\n"
                           "    '2026-S2': '2027-01-15'\n")
    from datetime import date

    assert load_settings(path, env={}).closing_dates == {"2026-S2": date(2027, 1, 15)}
    bad = write(tmp_path, "telegram:\n  token: x\nreports:\n  closing_dates:\n"
                          "    '2026-S3': '2027-01-15'\n")
    with pytest.raises(ConfigError, match="'2026-S3' is not a period"):
        load_settings(bad, env={})
    bad = write(tmp_path, "telegram:\n  token: x\nreports:\n  closing_dates:\n"
                          "    '2026-S2': '15/01/2027'\n")
    with pytest.raises(ConfigError, match="is not a date: use year-month-day"):
        load_settings(bad, env={})


def test_console_is_off_unless_enabled_and_its_link_follows_the_settings(tmp_path):
    example = load_settings(ROOT / "config.example.yaml", env={}).console
    assert not example.enabled and example.base_url == "http://127.0.0.1:8092"
    assert not example.secure_cookie
    path = write(tmp_path, "telegram:\n  token: x\nconsole:\n  enabled: true\n  port: 9000\n"
                 "  public_url: 'https://consola.mimp.gob.pe/'\n  session_idle_minutes: 45\n")
    console = load_settings(path, env={}).console
    assert console.enabled and console.port == 9000 and console.session_idle_minutes == 45
    assert console.base_url == "https://consola.mimp.gob.pe" and console.secure_cookie
    path = write(tmp_path, "telegram:\n  token: x\nconsole:\n  enabled: 'yes'\n")
    with pytest.raises(ConfigError, match=r":4: console.enabled: must be"):
        load_settings(path, env={})
    path = write(tmp_path, "telegram:\n  token: x\nconsole:\n  session_idle_minutes: 1\n")
    with pytest.raises(ConfigError, match=r"console.session_idle_minutes: 1 is out of range"):
        load_settings(path, env={})
    path = write(tmp_path, "telegram:\n  token: x\nconsole:\n  public_url: consola.gob.pe\n")
    with pytest.raises(ConfigError, match=r"console.public_url: 'consola.gob.pe' must be"):
        load_settings(path, env={})
