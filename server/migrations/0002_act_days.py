"""Acts per account and local day (``act_days``), kept by triggers on ``acts``, and filled in
from the acts already stored.

Triggers rather than service code: every statement that adds, moves or removes an act (a
tap, the API, an import, undo, merging accounts, deleting one, a bulk insert, a cascade)
updates the counts in the same statement and transaction, and a tap pays no extra round trip.
"""

from tortoise import fields, migrations
from tortoise.indexes import Index
from tortoise.migrations import operations as ops

from server.migrations._per_dialect import run_per_dialect

SQLITE = [
    """CREATE TRIGGER act_days_insert AFTER INSERT ON acts BEGIN
    INSERT INTO act_days (account_id, local_date, count)
    VALUES (NEW.account_id, NEW.local_date, 1)
    ON CONFLICT (account_id, local_date) DO UPDATE SET count = count + 1;
END""",
    """CREATE TRIGGER act_days_delete AFTER DELETE ON acts BEGIN
    UPDATE act_days SET count = count - 1
    WHERE account_id = OLD.account_id AND local_date = OLD.local_date;
    DELETE FROM act_days
    WHERE account_id = OLD.account_id AND local_date = OLD.local_date AND count <= 0;
END""",
    """CREATE TRIGGER act_days_update AFTER UPDATE OF account_id, local_date ON acts
WHEN OLD.account_id IS NOT NEW.account_id OR OLD.local_date IS NOT NEW.local_date BEGIN
    UPDATE act_days SET count = count - 1
    WHERE account_id = OLD.account_id AND local_date = OLD.local_date;
    DELETE FROM act_days
    WHERE account_id = OLD.account_id AND local_date = OLD.local_date AND count <= 0;
    INSERT INTO act_days (account_id, local_date, count)
    VALUES (NEW.account_id, NEW.local_date, 1)
    ON CONFLICT (account_id, local_date) DO UPDATE SET count = count + 1;
END""",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS act_days_insert",
    "DROP TRIGGER IF EXISTS act_days_delete",
    "DROP TRIGGER IF EXISTS act_days_update",
]

POSTGRES = [
    """CREATE FUNCTION act_days_follow() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        UPDATE act_days SET count = count - 1
        WHERE account_id = OLD.account_id AND local_date = OLD.local_date;
        DELETE FROM act_days
        WHERE account_id = OLD.account_id AND local_date = OLD.local_date AND count <= 0;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO act_days (account_id, local_date, count)
        VALUES (NEW.account_id, NEW.local_date, 1)
        ON CONFLICT (account_id, local_date) DO UPDATE SET count = act_days.count + 1;
    END IF;
    RETURN NULL;
END
$$""",
    """CREATE TRIGGER act_days_insert_delete AFTER INSERT OR DELETE ON acts
FOR EACH ROW EXECUTE FUNCTION act_days_follow()""",
    """CREATE TRIGGER act_days_update AFTER UPDATE OF account_id, local_date ON acts
FOR EACH ROW WHEN (OLD.account_id IS DISTINCT FROM NEW.account_id
                   OR OLD.local_date IS DISTINCT FROM NEW.local_date)
EXECUTE FUNCTION act_days_follow()""",
]
POSTGRES_DROP = [
    "DROP TRIGGER IF EXISTS act_days_insert_delete ON acts",
    "DROP TRIGGER IF EXISTS act_days_update ON acts",
    "DROP FUNCTION IF EXISTS act_days_follow()",
]

BACKFILL = """INSERT INTO act_days (account_id, local_date, count)
SELECT account_id, local_date, COUNT(*) FROM acts GROUP BY account_id, local_date"""


class Migration(migrations.Migration):
    dependencies = [("lifted", "0001_initial")]

    initial = False

    operations = [
        ops.CreateModel(
            name="ActDay",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "account",
                    fields.ForeignKeyField(
                        "lifted.Account",
                        source_field="account_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="act_days",
                        on_delete="CASCADE",
                    ),
                ),
                ("local_date", fields.DateField()),
                ("count", fields.IntField()),
            ],
            options={
                "table": "act_days",
                "app": "lifted",
                "unique_together": (("account", "local_date"),),
                "indexes": [Index(fields=["account_id", "local_date", "count"])],
                "pk_attr": "id",
                "table_description": "How many acts an account has on one of its local days.",
            },
            bases=["Model"],
        ),
        # The backfill first, in the same migration: acts stored before this one are counted.
        run_per_dialect(
            sqlite=[BACKFILL, *SQLITE],
            postgres=[BACKFILL, *POSTGRES],
            undo_sqlite=SQLITE_DROP,
            undo_postgres=POSTGRES_DROP,
        ),
    ]
