"""A reader's breaks, in their own calendar days."""

from tortoise import fields
from tortoise.models import Model


class Rest(Model):
    """One break. It covers ``starts_on`` through ``ends_on`` (None: until turned off), and
    stops the day before ``ended_on`` when the reader ends it early."""

    id = fields.IntField(primary_key=True)
    account = fields.ForeignKeyField("lifted.Account", related_name="rests", on_delete="CASCADE")
    starts_on = fields.DateField()
    ends_on = fields.DateField(null=True)
    ended_on = fields.DateField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "rests"
        indexes = (("account_id", "starts_on"),)  # every Today and reminder asks by account
