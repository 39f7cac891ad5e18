"""The links a reader has made for their supporters."""

from tortoise import fields
from tortoise.models import Model


class ShareLink(Model):
    id = fields.IntField(primary_key=True)
    account = fields.ForeignKeyField(
        "lifted.Account", related_name="share_links", on_delete="CASCADE"
    )
    name = fields.CharField(max_length=60)  # who it is for, in the reader's words
    token_hash = fields.CharField(max_length=64, unique=True)
    show_kinds = fields.BooleanField(default=False)
    show_moods = fields.BooleanField(default=False)
    show_notes = fields.BooleanField(default=False)
    created_at = fields.DatetimeField(auto_now_add=True)
    expires_at = fields.DatetimeField(null=True)  # None: until turned off
    revoked_at = fields.DatetimeField(null=True)
    last_opened_at = fields.DatetimeField(null=True)

    class Meta:
        table = "share_links"
        indexes = (("account_id",),)  # the reader's list; deleting an account
