"""The server's Web Push (VAPID) key: from LIFTED_VAPID_PRIVATE_KEY, or generated once and kept
in ``<data dir>/vapid_private.pem`` (mode 0600) so every process and restart signs alike."""

from __future__ import annotations

import base64
import os
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from py_vapid import Vapid02

from server.settings import Settings, SettingsError, place_once

FILENAME = "vapid_private.pem"


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _from_text(text: str, origin: str) -> ec.EllipticCurvePrivateKey:
    """A P-256 key from PEM (escaped newlines allowed, as env files often carry them)."""
    pem = text.strip().replace("\\n", "\n").encode()
    try:
        key = serialization.load_pem_private_key(pem, password=None)
    except (ValueError, TypeError):
        raise SettingsError(f"{origin}: not a PEM private key.") from None
    if not isinstance(key, ec.EllipticCurvePrivateKey) or key.curve.name != "secp256r1":
        raise SettingsError(f"{origin}: Web Push needs an EC P-256 (prime256v1) key.")
    return key


def _new_key_file(data_dir: Path) -> Path:
    """A new P-256 key written aside (mode 0600), for linking or moving into place."""
    key = ec.generate_private_key(ec.SECP256R1())
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    tmp = data_dir / f".{FILENAME}.{os.getpid()}"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(pem)
    return tmp


def _stored(data_dir: Path) -> ec.EllipticCurvePrivateKey:
    path = data_dir / FILENAME
    if not path.exists():
        # Linked into place: several processes starting at once (workers, the tick command)
        # agree on whichever key landed first.
        place_once(_new_key_file(data_dir), path)
    return _from_text(path.read_text(), f"LIFTED_VAPID_PRIVATE_KEY (kept in {path})")


def rotate(settings: Settings) -> Vapid02:
    """Replaces the kept key with a new one (`python -m server vapid --rotate`)."""
    if settings.vapid_private_key:
        raise SettingsError(
            "LIFTED_VAPID_PRIVATE_KEY is set, so the key lives in your environment: put a new "
            "key there, or remove it and run vapid --rotate to let Lifted keep its own."
        )
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    os.replace(_new_key_file(settings.data_dir), settings.data_dir / FILENAME)
    return load(settings)


def load(settings: Settings) -> Vapid02:
    if settings.vapid_private_key:
        key = _from_text(settings.vapid_private_key, "LIFTED_VAPID_PRIVATE_KEY")
    else:
        key = _stored(settings.data_dir)
    return Vapid02(private_key=key)


def public_key(vapid: Vapid02) -> str:
    """The applicationServerKey form: the uncompressed point, base64url without padding."""
    raw = vapid.public_key.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return b64url(raw)
