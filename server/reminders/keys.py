"""A browser's push keys, checked the way the encryption (RFC 8291) will use them: ``p256dh``
an uncompressed point that lies on P-256, ``auth`` 16 bytes. Subscribing checks them so a bad
device is refused at the door; sending checks them again, for rows stored before this check."""

from __future__ import annotations

import re

from cryptography.hazmat.primitives.asymmetric import ec

from server.reminders.vapid import b64url_decode

_B64URL = re.compile(r"[A-Za-z0-9_-]+={0,2}")


class BadKeys(ValueError):
    """The message says which key is wrong and how, for the subscribing browser."""


def _decode(value: object, name: str, size: int) -> bytes:
    if not isinstance(value, str) or not _B64URL.fullmatch(value):
        raise BadKeys(f"keys.{name} must be a base64url string.")
    try:
        raw = b64url_decode(value.rstrip("="))
    except ValueError:
        raise BadKeys(f"keys.{name} must be a base64url string.") from None
    if len(raw) != size:
        raise BadKeys(f"keys.{name} must decode to {size} bytes, not {len(raw)}.")
    return raw


def check(p256dh: object, auth: object) -> tuple[str, str]:
    """Both keys without base64 padding, as stored; BadKeys when either can't be used."""
    point = _decode(p256dh, "p256dh", 65)
    if point[0] != 0x04:
        raise BadKeys("keys.p256dh must be an uncompressed P-256 point.")
    try:
        ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), point)
    except ValueError:  # off the curve: encryption would fail for this device every time
        raise BadKeys("keys.p256dh must be a point on the P-256 curve.") from None
    _decode(auth, "auth", 16)
    return p256dh.rstrip("="), auth.rstrip("=")  # type: ignore[union-attr]
