"""Secrets a reader holds: passphrases and recovery codes, stored only as Argon2id hashes.
(API tokens, long random strings kept as a SHA-256, are ``server/identity/tokens.py``'s.)"""

from __future__ import annotations

import secrets
from functools import cache
from pathlib import Path

import anyio.to_thread
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

# Crockford's base32: no I, L, O or U, so a code copied by hand is hard to misread.
RECOVERY_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
RECOVERY_GROUPS, RECOVERY_GROUP_LENGTH = 4, 5  # 20 symbols x 5 bits = 100 bits
COMMON_PASSWORDS_FILE = Path(__file__).with_name("common-passwords.txt")

# argon2-cffi's defaults are RFC 9106's recommended Argon2id profile. Tests swap in cheaper
# parameters through `use_hasher`, never production.
_hasher = PasswordHasher()
_dummy_hash: str | None = None


def use_hasher(hasher: PasswordHasher) -> None:
    global _hasher, _dummy_hash
    _hasher, _dummy_hash = hasher, None


def _verify(stored: str | None, secret: str) -> bool:
    global _dummy_hash
    if stored is None:
        # Same work for a missing account as for a wrong passphrase, so the response time
        # does not tell a stranger which usernames exist.
        if _dummy_hash is None:
            _dummy_hash = _hasher.hash(secrets.token_urlsafe(16))
        stored = _dummy_hash
    try:
        return _hasher.verify(stored, secret) and stored is not _dummy_hash
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


async def hash_secret(secret: str) -> str:
    # Argon2 takes tens of milliseconds on purpose: run it off the event loop.
    return await anyio.to_thread.run_sync(_hasher.hash, secret)


async def verify_secret(stored: str | None, secret: str) -> bool:
    """True when ``secret`` matches ``stored``; with no stored hash, checks a dummy and fails."""
    return await anyio.to_thread.run_sync(_verify, stored, secret)


def new_recovery_code() -> str:
    symbols = [secrets.choice(RECOVERY_ALPHABET) for _ in range(20)]
    groups = ["".join(symbols[i : i + RECOVERY_GROUP_LENGTH]) for i in range(0, 20, 5)]
    return "-".join(groups)


def normalize_recovery_code(text: str) -> str:
    """The code as stored: upper case, no spaces or dashes, look-alike letters mapped."""
    cleaned = "".join(ch for ch in text.upper() if ch not in " -\t\r\n")
    cleaned = cleaned.translate(str.maketrans({"O": "0", "I": "1", "L": "1"}))
    return "-".join(cleaned[i : i + 5] for i in range(0, len(cleaned), 5))


@cache
def common_passwords() -> frozenset[str]:
    lines = COMMON_PASSWORDS_FILE.read_text().splitlines()
    return frozenset(line.strip().lower() for line in lines if line.strip())


def is_common(passphrase: str) -> bool:
    return passphrase.strip().lower() in common_passwords()
