"""Indexes by account on rests (every Today and every reminder asks whether the reader is on a
break) and share_links (the reader's list; deleting an account). No data changes. (``make
migrations`` also proposes the no-op AlterModelOptions noted in the README, left out.)"""

from tortoise import migrations
from tortoise.indexes import Index
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [("lifted", "0014_share_links")]

    initial = False

    operations = [
        ops.AddIndex(model_name="Rest", index=Index(fields=["account_id", "starts_on"])),
        ops.AddIndex(model_name="ShareLink", index=Index(fields=["account_id"])),
    ]
