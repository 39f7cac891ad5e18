"""Raw SQL that differs between SQLite and PostgreSQL, as one migration operation.

Tortoise's ``RunSQL`` runs the same text on both databases, and its SQLite schema editor
splits SQL on ";", which cuts a trigger's body apart. This runs each statement whole, through
the migration's own client (so in its transaction). Tortoise's loader skips modules whose name
starts with "_", so this file is not a migration itself.
"""

from __future__ import annotations

from tortoise.migrations import operations as ops


def run_per_dialect(
    *, sqlite: list[str], postgres: list[str], undo_sqlite: list[str], undo_postgres: list[str]
) -> ops.RunPython:
    """An operation that runs ``sqlite`` or ``postgres`` forward, the ``undo_*`` list back."""

    async def forward(apps, schema_editor) -> None:
        await _run(schema_editor, postgres if _is_postgres(schema_editor) else sqlite)

    async def backward(apps, schema_editor) -> None:
        await _run(schema_editor, undo_postgres if _is_postgres(schema_editor) else undo_sqlite)

    return ops.RunPython(forward, backward)


def _is_postgres(schema_editor) -> bool:
    return schema_editor.client.capabilities.dialect == "postgres"


async def _run(schema_editor, statements: list[str]) -> None:
    for sql in statements:
        if schema_editor.collect_sql:
            schema_editor.collected_sql.append(sql)
        else:
            await schema_editor.client.execute_query(sql)
