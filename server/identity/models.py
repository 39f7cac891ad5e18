"""Who a reader is: the account (anonymous until claimed), the browsers signed in to it and
the personal access tokens that act for it. Every feature points at ``Account``."""

from tortoise import fields
from tortoise.models import Model


class Account(Model):
    id = fields.UUIDField(primary_key=True)
    # Null until the reader claims the account; unique among claimed accounts.
    username = fields.CharField(max_length=40, unique=True, null=True)
    passphrase_hash = fields.CharField(max_length=200, null=True)
    recovery_hash = fields.CharField(max_length=200, null=True)
    timezone = fields.CharField(max_length=64, default="UTC")
    # The hour (0 to 5) the reader's day ends at: every day boundary (server/days.py).
    day_ends_at = fields.SmallIntField(default=0, db_default=0)
    created_at = fields.DatetimeField(auto_now_add=True)
    claimed_at = fields.DatetimeField(null=True)

    class Meta:
        table = "accounts"


class Session(Model):
    """A signed-in browser. The cookie holds a random token, stored here only as a SHA-256 hash."""

    id = fields.CharField(max_length=64, primary_key=True)
    account = fields.ForeignKeyField("lifted.Account", related_name="sessions", on_delete="CASCADE")
    created_at = fields.DatetimeField(auto_now_add=True)
    last_seen_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "sessions"


class ApiToken(Model):
    """A personal access token for the JSON API, stored only as a SHA-256 hash."""

    id = fields.IntField(primary_key=True)
    account = fields.ForeignKeyField("lifted.Account", related_name="tokens", on_delete="CASCADE")
    name = fields.CharField(max_length=60)
    token_hash = fields.CharField(max_length=64, unique=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    last_used_at = fields.DatetimeField(null=True)
    revoked_at = fields.DatetimeField(null=True)
    # None: until revoked. A token past this time is refused like a revoked one.
    expires_at = fields.DatetimeField(null=True)

    class Meta:
        table = "api_tokens"
