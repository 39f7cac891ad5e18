"""A reader's data as a whole: merging an anonymous account into a signed-in one, and
deleting an account with every row that belongs to it.

Both walk every model that points at ``Account`` (found through Tortoise's registry), so a
table a feature adds later is merged and deleted too without touching this file.
"""

from __future__ import annotations

from tortoise import Tortoise
from tortoise.fields.relational import ForeignKeyFieldInstance, OneToOneFieldInstance
from tortoise.models import Model
from tortoise.transactions import in_transaction

from server import db, ratelimit
from server.identity.cache import forget_account
from server.identity.models import Account, Session


def account_relations() -> list[tuple[type[Model], str]]:
    """(model, column) for every table with a column pointing at an account."""
    found = []
    for model in Tortoise.apps["lifted"].values():
        for field in model._meta.fields_map.values():
            is_relation = isinstance(field, ForeignKeyFieldInstance | OneToOneFieldInstance)
            if is_relation and field.related_model is Account:
                found.append((model, field.source_field))
    return found


async def merge(anonymous: Account, target: Account) -> None:
    """Moves everything an anonymous account holds into ``target``, then deletes it.

    Acts keep their ids (they are global UUIDs), so nothing is duplicated; article reads the
    target already has are dropped; the target's reminder settings win.
    """
    if anonymous.id == target.id or anonymous.username is not None:
        return
    async with in_transaction():
        for model, column in account_relations():
            mine = model.filter(**{column: anonymous.id})
            theirs = model.filter(**{column: target.id})
            if model is Session:
                await mine.delete()
                forget_account(anonymous)
                continue
            if getattr(model, "derived", False):
                # Counts the database keeps from other rows (act_days from acts): moving the
                # acts moves their counts, so moving these as well would count them twice.
                continue
            one_per_account = model._meta.pk_attr in (column, column.removesuffix("_id"))
            if one_per_account and await theirs.exists():
                # One row per account (reminder settings): keep the signed-in account's.
                await mine.delete()
                continue
            if one_per_account:
                # The ORM refuses to update a primary key, even to move the row: plain SQL.
                table = model._meta.db_table
                sql = f"UPDATE {table} SET {column} = ?::uuid WHERE {column} = ?::uuid"
                await db.fetch(sql, target.id, anonymous.id)
                continue
            for together in model._meta.unique_together:
                others = [f for f in together if f not in (column, column.removesuffix("_id"))]
                if not others:
                    continue
                # Rows the target already has (same slug, same day) would collide: drop ours.
                taken = await theirs.values_list(*others)
                for values in taken:
                    values = values if isinstance(values, tuple) else (values,)
                    await mine.filter(**dict(zip(others, values, strict=True))).delete()
            await mine.update(**{column: target.id})
        await Account.filter(id=anonymous.id).delete()
    # Again once committed: a lookup in between read the rows as they were.
    forget_account(anonymous)


async def delete_everything(account: Account) -> None:
    """Removes every row that belongs to ``account``, in one transaction."""
    async with in_transaction():
        for model, column in account_relations():
            await model.filter(**{column: account.id}).delete()
        await ratelimit.forget_stored(account)
        await Account.filter(id=account.id).delete()
        forget_account(account)
    forget_account(account)  # again once committed (see merge)
