"""Claiming, signing in and recovering accounts; the only account code that queries the ORM,
together with ``tokens.py`` (API tokens) and ``data.py`` (import, merge and delete)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from server.accounts import credentials
from server.identity.cache import forget_account
from server.identity.models import Account, Session


class UsernameTaken(Exception):
    """Someone already uses that username."""


@dataclass(frozen=True)
class AccountView:
    """What the account pages show about an account."""

    username: str | None
    claimed: bool
    created_at: datetime
    sessions: int
    tokens: int


async def describe(account: Account) -> AccountView:
    return AccountView(
        username=account.username,
        claimed=account.username is not None,
        created_at=account.created_at,
        sessions=await Session.filter(account=account).count(),
        tokens=await account.tokens.filter(revoked_at=None).count(),
    )


async def username_taken(username: str) -> bool:
    return await Account.filter(username=username.lower()).exists()


async def claim(account: Account, username: str, passphrase: str) -> str:
    """Gives ``account`` a username and passphrase; returns the one-time recovery code."""
    if await username_taken(username):
        raise UsernameTaken(username)
    code = credentials.new_recovery_code()
    account.username = username.lower()
    account.passphrase_hash = await credentials.hash_secret(passphrase)
    account.recovery_hash = await credentials.hash_secret(code.replace("-", ""))
    account.claimed_at = datetime.now(UTC)
    try:
        await account.save(
            update_fields=["username", "passphrase_hash", "recovery_hash", "claimed_at"]
        )
        forget_account(account)
    except IntegrityError:
        # Two people chose the same name at the same moment; the database had the last word.
        account.username = None
        raise UsernameTaken(username) from None
    return code


async def authenticate(username: str, passphrase: str) -> Account | None:
    """The account for these credentials, or None. Always runs one Argon2 verification."""
    account = await _claimed(username)
    stored = account.passphrase_hash if account else None
    if await credentials.verify_secret(stored, passphrase) and account is not None:
        return account
    return None


# A step that shuts an intruder out of one more way in (access tokens, the calendar link, push
# devices), given by the features that own them (server/app.py, SHUT_OUT). It returns what it
# did as a sentence for the reader, or None when there was nothing to do.
ShutOutStep = Callable[[Account], Awaitable[str | None]]


@dataclass(frozen=True)
class Recovered:
    account: Account
    code: str  # the new recovery code, shown once
    done: list[str]  # what was shut, in the reader's words


async def recover(
    username: str, code: str, new_passphrase: str, shut_out: Sequence[ShutOutStep] = ()
) -> Recovered | None:
    """Checks a recovery code; on success sets the new passphrase and a NEW recovery code and
    takes the account back: every session ends and every ``shut_out`` step runs, all in one
    transaction. None when the username and code don't match."""
    account = await _claimed(username)
    stored = account.recovery_hash if account else None
    if not await credentials.verify_secret(stored, code.replace("-", "")) or account is None:
        return None
    new_code = credentials.new_recovery_code()
    account.passphrase_hash = await credentials.hash_secret(new_passphrase)
    account.recovery_hash = await credentials.hash_secret(new_code.replace("-", ""))
    async with in_transaction():
        await account.save(update_fields=["passphrase_hash", "recovery_hash"])
        forget_account(account)
        # Whoever knew the old passphrase, or holds a token, a link or a device, is shown out.
        done = await end_all_sessions(account, shut_out)
    # Again once committed: a lookup in between read the rows as they were.
    forget_account(account)
    return Recovered(account, new_code, done)


async def end_all_sessions(account: Account, shut_out: Sequence[ShutOutStep] = ()) -> list[str]:
    """Signs every browser out of the account and runs each ``shut_out`` step; returns the
    steps' sentences."""
    async with in_transaction():
        await Session.filter(account=account).delete()
        forget_account(account)
        done = [await step(account) for step in shut_out]
    forget_account(account)  # again once committed (see recover)
    return [sentence for sentence in done if sentence]


async def is_named(account_id: str, username: str) -> bool:
    """Whether the account with this id holds this username (no passphrase involved)."""
    name = _stored_name(username)
    return name is not None and await Account.filter(id=account_id, username=name).exists()


async def _claimed(username: str) -> Account | None:
    name = _stored_name(username)
    return await Account.get_or_none(username=name) if name else None


def _stored_name(username: str) -> str | None:
    """The username as stored, or None for one that cannot be stored."""
    name = username.strip().lower()
    if not name or len(name) > 40 or "\x00" in name:  # PostgreSQL rejects NUL
        return None
    return name
