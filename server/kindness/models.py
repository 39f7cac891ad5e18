"""A reader's kindness days and the day's gentle aim."""

from tortoise import fields
from tortoise.models import Model


class KindnessDays(Model):
    account = fields.OneToOneField(
        "lifted.Account", related_name="kindness_days", on_delete="CASCADE", primary_key=True
    )
    days = fields.SmallIntField()  # bit 0 = Monday ... bit 6 = Sunday; one or two bits
    aim = fields.SmallIntField(default=3)  # acts on such a day, three to five
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "kindness_days"
