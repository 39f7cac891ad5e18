"""Share links for a supporter (server/sharing): a new, empty table, so nothing already stored
changes; a link's token is kept only as its SHA-256."""

from tortoise import fields, migrations
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [("lifted", "0013_private_acts")]

    initial = False

    operations = [
        ops.CreateModel(
            name="ShareLink",
            fields=[
                ("id", fields.IntField(primary_key=True, unique=True, db_index=True)),
                (
                    "account",
                    fields.ForeignKeyField(
                        "lifted.Account",
                        source_field="account_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="share_links",
                        on_delete="CASCADE",
                    ),
                ),
                ("name", fields.CharField(max_length=60)),
                ("token_hash", fields.CharField(unique=True, max_length=64)),
                ("show_kinds", fields.BooleanField(default=False)),
                ("show_moods", fields.BooleanField(default=False)),
                ("show_notes", fields.BooleanField(default=False)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ("expires_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ("revoked_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                (
                    "last_opened_at",
                    fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
                ),
            ],
            options={"table": "share_links", "app": "lifted", "pk_attr": "id"},
            bases=["Model"],
        ),
    ]
