"""Settings are read from the environment and a bad value is named in one sentence."""

from __future__ import annotations

import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from server.settings import ROOT, SETTINGS, Settings, SettingsError


def test_defaults_use_sqlite_in_the_data_dir(tmp_path):
    settings = Settings.from_env({"LIFTED_DATA_DIR": str(tmp_path)})
    assert settings.database_url == f"sqlite://{tmp_path / 'lifted.sqlite3'}"
    assert settings.is_sqlite and not settings.https


def test_secret_is_generated_once_and_kept_private(tmp_path):
    first = Settings.from_env({"LIFTED_DATA_DIR": str(tmp_path)})
    second = Settings.from_env({"LIFTED_DATA_DIR": str(tmp_path)})
    assert first.secret_key == second.secret_key and len(first.secret_key) >= 40
    mode = stat.S_IMODE((tmp_path / "secret_key").stat().st_mode)
    assert mode == 0o600


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("DATABASE_URL", "nope://x"),
        ("LIFTED_BASE_URL", "ftp://x"),
        ("LIFTED_LOG_LEVEL", "LOUD"),
        ("LIFTED_REDIS_URL", "http://x"),
        ("LIFTED_TRUSTED_PROXIES", "not-an-ip"),
        ("LIFTED_MAX_BODY_BYTES", "-3"),
        ("LIFTED_MAX_BODY_BYTES", "6²"),
        ("LIFTED_PUSH_ALLOW_HTTP", "maybe"),
        ("LIFTED_SCHEDULER", "sometimes"),
        ("LIFTED_VAPID_SUBJECT", "bob"),
    ],
)
def test_bad_values_name_the_variable(tmp_path, name, value):
    with pytest.raises(SettingsError, match=f"^{name}:"):
        Settings.from_env({"LIFTED_DATA_DIR": str(tmp_path), name: value})


def test_unwritable_data_dir_is_named(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(SettingsError, match="^LIFTED_DATA_DIR:"):
        Settings.from_env({"LIFTED_DATA_DIR": str(blocker / "data")})


def _serve(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "server", "serve", *args],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_server_refuses_bad_database_url_in_one_line(tmp_path):
    result = _serve({"LIFTED_DATA_DIR": str(tmp_path), "DATABASE_URL": "nope://x"})
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("lifted: DATABASE_URL:")


def test_server_refuses_unwritable_data_dir(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = _serve({"LIFTED_DATA_DIR": str(blocker / "data")})
    assert result.returncode != 0
    assert result.stderr.strip().startswith("lifted: LIFTED_DATA_DIR:")


def test_server_refuses_several_workers_on_sqlite(tmp_path):
    result = _serve({"LIFTED_DATA_DIR": str(tmp_path)}, "--workers", "2")
    assert result.returncode != 0
    assert "SQLite serves one worker" in result.stderr


def test_readme_documents_every_setting():
    readme = (ROOT / "README.md").read_text()
    documented = set(re.findall(r"^\| `([A-Z_]+)` \|", readme, flags=re.M))
    in_code = {name for name, _, _ in SETTINGS}
    assert in_code - documented == set(), "settings missing from the README table"
    assert documented - in_code == set(), "README documents settings the code does not read"
    used = set(re.findall(r'env\.get\("([A-Z_]+)"', Path(ROOT / "server/settings.py").read_text()))
    used |= set(
        re.findall(
            r'_(?:flag|positive_int)\("([A-Z_]+)"', (ROOT / "server/settings.py").read_text()
        )
    )
    assert used <= in_code, "the code reads a variable not listed in SETTINGS"


def test_a_new_data_folder_and_database_are_readable_by_their_owner_only(tmp_path):
    from server.db import _connection

    folder = tmp_path / "fresh" / "data"
    settings = Settings.from_env({"LIFTED_DATA_DIR": str(folder)})
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    _connection(settings.database_url)  # what opening the database does first
    assert stat.S_IMODE((folder / "lifted.sqlite3").stat().st_mode) == 0o600


@pytest.mark.parametrize("content", ["", "   \n", "short-secret"])
def test_an_empty_or_short_secret_key_file_stops_start_up(tmp_path, content):
    (tmp_path / "secret_key").write_text(content)
    with pytest.raises(SettingsError) as error:
        Settings.from_env({"LIFTED_DATA_DIR": str(tmp_path)})
    message = str(error.value)
    assert "\n" not in message and str(tmp_path / "secret_key") in message
    assert "at least 32" in message


def test_a_short_secret_key_setting_stops_start_up(tmp_path):
    with pytest.raises(SettingsError, match="LIFTED_SECRET_KEY has only 5 characters"):
        Settings.from_env({"LIFTED_DATA_DIR": str(tmp_path), "LIFTED_SECRET_KEY": "abcde"})


def test_processes_starting_together_on_one_data_dir_all_start(tmp_path):
    """Workers, `reminders tick` and other hosts start on one shared data dir at once: each
    one's write check must not trip over another's (it once removed the other's probe)."""
    from concurrent.futures import ThreadPoolExecutor

    from server.settings import _data_dir

    def start(_):
        for _ in range(200):
            _data_dir(str(tmp_path))

    with ThreadPoolExecutor(max_workers=6) as pool:
        list(pool.map(start, range(6)))  # raises SettingsError if one check failed
    assert not list(tmp_path.glob(".write-check*"))


def test_processes_making_the_secret_together_agree_on_one(tmp_path, monkeypatch):
    """Another process made the secret between this one's look and its write (the
    reminders tick, three at once, did): this one starts with the other's, complete."""
    theirs = "t" * 64
    seen = Path.exists

    def looked_too_early(path):
        if path.name == "secret_key" and not seen(path):
            path.write_text(theirs)  # the other process lands first, just after our look
            return False
        return seen(path)

    monkeypatch.setattr(Path, "exists", looked_too_early)
    assert Settings.from_env({"LIFTED_DATA_DIR": str(tmp_path)}).secret_key == theirs
    assert sorted(p.name for p in tmp_path.iterdir() if "secret" in p.name) == ["secret_key"]
