"""PostgreSQL tells every Lifted process when a session ends or an account changes.

Each process keeps the sessions it has looked up (server/identity/cache.py). These triggers
send ``NOTIFY lifted_identity`` from the very transaction that deletes or changes a session
(sign-out, "sign out everywhere", recovery, expiry) or changes or deletes an account, so every
listening process forgets it when it commits, however the row was written (the app, a
command, by hand). SQLite serves from one process, which forgets its own writes: nothing to
add there. No data changes.
"""

from tortoise import migrations

from server.migrations._per_dialect import run_per_dialect

POSTGRES = [
    """CREATE FUNCTION lifted_identity_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME = 'sessions' THEN
        PERFORM pg_notify('lifted_identity', 's:' || OLD.id);
    ELSE
        PERFORM pg_notify('lifted_identity', 'a:' || OLD.id::text);
    END IF;
    RETURN NULL;
END
$$""",
    """CREATE TRIGGER sessions_identity AFTER UPDATE OR DELETE ON sessions
FOR EACH ROW EXECUTE FUNCTION lifted_identity_changed()""",
    """CREATE TRIGGER accounts_identity AFTER UPDATE OR DELETE ON accounts
FOR EACH ROW EXECUTE FUNCTION lifted_identity_changed()""",
]
POSTGRES_DROP = [
    "DROP TRIGGER IF EXISTS sessions_identity ON sessions",
    "DROP TRIGGER IF EXISTS accounts_identity ON accounts",
    "DROP FUNCTION IF EXISTS lifted_identity_changed()",
]


class Migration(migrations.Migration):
    dependencies = [("lifted", "0015_rest_and_share_indexes")]

    initial = False

    operations = [
        run_per_dialect(sqlite=[], postgres=POSTGRES, undo_sqlite=[], undo_postgres=POSTGRES_DROP)
    ]
