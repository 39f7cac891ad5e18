"""Days with acts per account and week (``act_weeks``), kept by triggers on ``act_days``, and
filled in from the days already stored.

Progress counts the weeks with acts and the weeks in a row from it: a row a week, with no date
arithmetic on every day of the history at each visit. Triggers for the same reasons as 0002:
every change to ``act_days`` (itself kept by triggers on ``acts``) reaches it in the same
statement and transaction. A tap only reaches it on the first act of a day.
"""

from tortoise import fields, migrations
from tortoise.migrations import operations as ops

from server.migrations._per_dialect import run_per_dialect

# summary.week_number: weeks from Monday 1 January 1900, less the 5,270 before 1 January 2001.
SQLITE_WEEK = "CAST(julianday({0}.local_date) - 2415020.5 AS INTEGER) / 7 - 5270"
POSTGRES_WEEK = "({0}.local_date - DATE '1900-01-01') / 7 - 5270"

SQLITE_ADD = """INSERT INTO act_weeks (account_id, week, days)
    VALUES (NEW.account_id, {new}, 1)
    ON CONFLICT (account_id, week) DO UPDATE SET days = days + 1;"""
SQLITE_REMOVE = """UPDATE act_weeks SET days = days - 1
    WHERE account_id = OLD.account_id AND week = {old};
    DELETE FROM act_weeks WHERE account_id = OLD.account_id AND week = {old} AND days <= 0;"""
SQLITE = [
    sql.format(new=SQLITE_WEEK.format("NEW"), old=SQLITE_WEEK.format("OLD"))
    for sql in (
        f"CREATE TRIGGER act_weeks_insert AFTER INSERT ON act_days BEGIN\n{SQLITE_ADD}\nEND",
        f"CREATE TRIGGER act_weeks_delete AFTER DELETE ON act_days BEGIN\n{SQLITE_REMOVE}\nEND",
        "CREATE TRIGGER act_weeks_update AFTER UPDATE OF account_id, local_date ON act_days\n"
        "WHEN OLD.account_id IS NOT NEW.account_id OR OLD.local_date IS NOT NEW.local_date\n"
        f"BEGIN\n{SQLITE_REMOVE}\n{SQLITE_ADD}\nEND",
    )
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS act_weeks_insert",
    "DROP TRIGGER IF EXISTS act_weeks_delete",
    "DROP TRIGGER IF EXISTS act_weeks_update",
]

POSTGRES = [
    """CREATE FUNCTION act_weeks_follow() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        UPDATE act_weeks SET days = days - 1
        WHERE account_id = OLD.account_id AND week = {old};
        DELETE FROM act_weeks
        WHERE account_id = OLD.account_id AND week = {old} AND days <= 0;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO act_weeks (account_id, week, days)
        VALUES (NEW.account_id, {new}, 1)
        ON CONFLICT (account_id, week) DO UPDATE SET days = act_weeks.days + 1;
    END IF;
    RETURN NULL;
END
$$""".format(new=POSTGRES_WEEK.format("NEW"), old=POSTGRES_WEEK.format("OLD")),
    """CREATE TRIGGER act_weeks_insert_delete AFTER INSERT OR DELETE ON act_days
FOR EACH ROW EXECUTE FUNCTION act_weeks_follow()""",
    """CREATE TRIGGER act_weeks_update AFTER UPDATE OF account_id, local_date ON act_days
FOR EACH ROW WHEN (OLD.account_id IS DISTINCT FROM NEW.account_id
                   OR OLD.local_date IS DISTINCT FROM NEW.local_date)
EXECUTE FUNCTION act_weeks_follow()""",
]
POSTGRES_DROP = [
    "DROP TRIGGER IF EXISTS act_weeks_insert_delete ON act_days",
    "DROP TRIGGER IF EXISTS act_weeks_update ON act_days",
    "DROP FUNCTION IF EXISTS act_weeks_follow()",
]

BACKFILL = """INSERT INTO act_weeks (account_id, week, days)
SELECT account_id, {week} AS week, COUNT(*) FROM act_days GROUP BY account_id, week"""


class Migration(migrations.Migration):
    dependencies = [("lifted", "0003_recent_acts_index")]

    initial = False

    operations = [
        ops.CreateModel(
            name="ActWeek",
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
                        related_name="act_weeks",
                        on_delete="CASCADE",
                    ),
                ),
                ("week", fields.IntField()),
                ("days", fields.IntField()),
            ],
            options={
                "table": "act_weeks",
                "app": "lifted",
                "unique_together": (("account", "week"),),
                "pk_attr": "id",
                "table_description": (
                    "How many days with acts an account has in one week (``summary.week_number``)."
                ),
            },
            bases=["Model"],
        ),
        # The backfill first, in the same migration: days stored before this one are counted.
        run_per_dialect(
            sqlite=[BACKFILL.format(week=SQLITE_WEEK.format("act_days")), *SQLITE],
            postgres=[BACKFILL.format(week=POSTGRES_WEEK.format("act_days")), *POSTGRES],
            undo_sqlite=SQLITE_DROP,
            undo_postgres=POSTGRES_DROP,
        ),
    ]
