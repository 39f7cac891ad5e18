"""Lifted's configuration: one frozen object read from the environment and checked at start.

Every setting is listed in ``SETTINGS`` with its variable name and a one-line description; the
README's settings table is checked against that list by a test, so a new setting cannot go
undocumented.
"""

from __future__ import annotations

import ipaddress
import logging
import os
import secrets
import tempfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from server.parsing import whole_number

ROOT = Path(__file__).resolve().parent.parent

# (variable, default shown in the README, what it does)
SETTINGS: list[tuple[str, str, str]] = [
    ("DATABASE_URL", "SQLite file `lifted.sqlite3` in the data dir", "Where data lives."),
    ("LIFTED_DATA_DIR", "`./data`", "Folder for the SQLite file and generated keys."),
    ("LIFTED_SECRET_KEY", "generated, kept in `<data dir>/secret_key`", "Signs cookies."),
    ("LIFTED_BASE_URL", "`http://127.0.0.1:8000`", "Public address; https turns on HSTS."),
    ("LIFTED_LOG_LEVEL", "`INFO`", "DEBUG, INFO, WARNING or ERROR."),
    ("LIFTED_REDIS_URL", "unset", "Shares rate limits through Redis instead of the database."),
    ("LIFTED_TRUSTED_PROXIES", "unset", "Comma-separated proxy IPs whose X-Forwarded-For counts."),
    ("LIFTED_MAX_BODY_BYTES", "`65536`", "Request bodies above this size get 413."),
    (
        "LIFTED_VAPID_PRIVATE_KEY",
        "generated, kept in `<data dir>/vapid_private.pem`",
        "Web Push key.",
    ),
    ("LIFTED_VAPID_SUBJECT", "`mailto:admin@localhost`", "Contact sent to push services."),
    ("LIFTED_PUSH_ALLOW_HTTP", "`false`", "Accept http push endpoints (local testing only)."),
    ("LIFTED_SCHEDULER", "`true`", "Run background work (reminders, tidying) inside the app."),
    ("LIFTED_CONTENT_DIR", "`content/` in the repository", "Folder of articles and help text."),
]

# A secret shorter than this is a damaged file or a placeholder, not a key (the generated one
# has 64 characters).
MIN_SECRET = 32
_LOG_LEVELS = {"DEBUG", "INFO", "WARNING", "ERROR"}
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


class SettingsError(Exception):
    """A setting has a value Lifted cannot run with; the message names the variable."""


@dataclass(frozen=True)
class Settings:
    database_url: str
    data_dir: Path
    secret_key: str
    base_url: str = "http://127.0.0.1:8000"
    log_level: str = "INFO"
    redis_url: str | None = None
    trusted_proxies: tuple[str, ...] = ()
    max_body_bytes: int = 65536
    vapid_private_key: str | None = None
    vapid_subject: str = "mailto:admin@localhost"
    push_allow_http: bool = False
    scheduler: bool = True
    content_dir: Path = ROOT / "content"

    @property
    def https(self) -> bool:
        return self.base_url.startswith("https://")

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite:")

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Settings:
        env = dict(os.environ if environ is None else environ)
        data_dir = _data_dir(env.get("LIFTED_DATA_DIR") or "./data")
        database_url = env.get("DATABASE_URL") or f"sqlite://{data_dir / 'lifted.sqlite3'}"
        _check_database_url(database_url)
        return cls(
            database_url=database_url,
            data_dir=data_dir,
            secret_key=(
                _secret(env["LIFTED_SECRET_KEY"], "LIFTED_SECRET_KEY")
                if env.get("LIFTED_SECRET_KEY")
                else _stored_secret(data_dir)
            ),
            base_url=_base_url(env.get("LIFTED_BASE_URL") or "http://127.0.0.1:8000"),
            log_level=_choice("LIFTED_LOG_LEVEL", env.get("LIFTED_LOG_LEVEL") or "INFO"),
            redis_url=_redis_url(env.get("LIFTED_REDIS_URL")),
            trusted_proxies=_proxies(env.get("LIFTED_TRUSTED_PROXIES") or ""),
            max_body_bytes=_positive_int("LIFTED_MAX_BODY_BYTES", env, 65536),
            vapid_private_key=env.get("LIFTED_VAPID_PRIVATE_KEY") or None,
            vapid_subject=_vapid_subject(env.get("LIFTED_VAPID_SUBJECT")),
            push_allow_http=_flag("LIFTED_PUSH_ALLOW_HTTP", env, default=False),
            scheduler=_flag("LIFTED_SCHEDULER", env, default=True),
            content_dir=_content_dir(env.get("LIFTED_CONTENT_DIR")),
        )

    def logging_level(self) -> int:
        return getattr(logging, self.log_level)


def _data_dir(raw: str) -> Path:
    """The data folder, created readable by this user only (it holds the database and keys)."""
    path = Path(raw).expanduser().resolve()
    try:
        if not path.exists():
            path.mkdir(parents=True, mode=0o700)
            path.chmod(0o700)  # mkdir's mode is filtered by the umask
        # A probe of this process's own: several processes start on one shared data dir
        # (workers, `reminders tick`, other hosts) and must not remove each other's.
        with tempfile.NamedTemporaryFile(dir=path, prefix=".write-check-"):
            pass
    except OSError as exc:
        raise SettingsError(
            f"LIFTED_DATA_DIR: cannot write to {path} ({exc.strerror or exc}). "
            "Choose a folder this user can write to."
        ) from None
    return path


def _check_database_url(url: str) -> None:
    scheme = url.split("://", 1)[0] if "://" in url else ""
    if scheme not in {"sqlite", "postgres", "postgresql", "asyncpg"}:
        raise SettingsError(
            f"DATABASE_URL: {url!r} is not a database Lifted can use. "
            "Use sqlite:///path/to/file.sqlite3 or postgres://user@host:5432/name."
        )
    if scheme != "sqlite" and not urlsplit(url).hostname:
        raise SettingsError(f"DATABASE_URL: {url!r} names no host.")


def _secret(raw: str, origin: str) -> str:
    secret = raw.strip()
    if len(secret) < MIN_SECRET:
        what = "is empty" if not secret else f"has only {len(secret)} characters"
        raise SettingsError(
            f"{origin} {what}; it needs at least {MIN_SECRET} random characters. "
            "Restore it from your backup, or remove the file to make a new one "
            "(everyone will have to sign in again)."
        )
    return secret


def _stored_secret(data_dir: Path) -> str:
    """Keeps a generated secret in the data dir so restarts keep everyone signed in."""
    path = data_dir / "secret_key"
    if not path.exists():
        # Written aside whole, then linked into place: several processes starting at once on
        # a new data folder (workers, the reminders tick) agree on whichever landed first,
        # and none reads a file half written.
        tmp = data_dir / f".secret_key.{os.getpid()}"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(48))
        place_once(tmp, path)
    return _secret(path.read_text(), f"LIFTED_SECRET_KEY: the file {path}")


def place_once(written: Path, path: Path) -> None:
    """Puts the file ``written`` aside at ``path`` unless one is already there (another
    process got there first: theirs stays), then removes ``written``."""
    try:
        os.link(written, path)
    except FileExistsError:
        pass
    finally:
        written.unlink(missing_ok=True)


def _base_url(raw: str) -> str:
    parts = urlsplit(raw)
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        raise SettingsError(
            f"LIFTED_BASE_URL: {raw!r} is not an http(s) address, e.g. https://lifted.example.org."
        )
    return raw.rstrip("/")


def _choice(name: str, raw: str) -> str:
    value = raw.upper()
    if value not in _LOG_LEVELS:
        raise SettingsError(f"{name}: {raw!r} is not one of {', '.join(sorted(_LOG_LEVELS))}.")
    return value


def _redis_url(raw: str | None) -> str | None:
    if not raw:
        return None
    if urlsplit(raw).scheme not in {"redis", "rediss", "unix"}:
        raise SettingsError(f"LIFTED_REDIS_URL: {raw!r} is not a redis:// address.")
    return raw


def _proxies(raw: str) -> tuple[str, ...]:
    proxies = tuple(p.strip() for p in raw.split(",") if p.strip())
    for proxy in proxies:
        try:
            ipaddress.ip_network(proxy, strict=False)
        except ValueError:
            raise SettingsError(
                f"LIFTED_TRUSTED_PROXIES: {proxy!r} is not an IP address or network."
            ) from None
    return proxies


def _positive_int(name: str, env: dict[str, str], default: int) -> int:
    raw = env.get(name)
    if not raw:
        return default
    value = whole_number(raw, low=1, high=10**15)
    if value is None:
        raise SettingsError(f"{name}: {raw!r} is not a positive whole number.")
    return value


def _flag(name: str, env: dict[str, str], default: bool) -> bool:
    raw = env.get(name)
    if raw is None:
        return default
    if raw.lower() in _TRUE:
        return True
    if raw.lower() in _FALSE:
        return False
    raise SettingsError(f"{name}: {raw!r} is not true or false.")


def _vapid_subject(raw: str | None) -> str:
    if not raw:
        return "mailto:admin@localhost"
    if not raw.startswith(("mailto:", "https://")):
        raise SettingsError(f"LIFTED_VAPID_SUBJECT: {raw!r} must start with mailto: or https://.")
    return raw


def _content_dir(raw: str | None) -> Path:
    if not raw:
        return ROOT / "content"
    path = Path(raw).expanduser().resolve()
    if not (path / "articles").is_dir():
        raise SettingsError(
            f"LIFTED_CONTENT_DIR: {path} has no articles/ folder. "
            "Point it at a copy of the repository's content/ folder."
        )
    return path
