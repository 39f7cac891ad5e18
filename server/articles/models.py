"""Which articles a reader has finished. The articles themselves live in content/."""

from tortoise import fields
from tortoise.models import Model


class ArticleRead(Model):
    id = fields.IntField(primary_key=True)
    account = fields.ForeignKeyField("lifted.Account", related_name="reads", on_delete="CASCADE")
    slug = fields.CharField(max_length=80)
    read_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "article_reads"
        unique_together = (("account", "slug"),)
