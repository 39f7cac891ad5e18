from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from json import dumps, loads
from uuid import uuid4
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    initial = True

    operations = [
        ops.CreateModel(
            name='Account',
            fields=[
                ('id', fields.UUIDField(primary_key=True, default=uuid4, unique=True, db_index=True)),
                ('username', fields.CharField(null=True, unique=True, max_length=40)),
                ('passphrase_hash', fields.CharField(null=True, max_length=200)),
                ('recovery_hash', fields.CharField(null=True, max_length=200)),
                ('timezone', fields.CharField(default='UTC', max_length=64)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('claimed_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'accounts', 'app': 'lifted', 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Act',
            fields=[
                ('id', fields.UUIDField(primary_key=True, default=uuid4, unique=True, db_index=True)),
                ('account', fields.ForeignKeyField('lifted.Account', source_field='account_id', db_constraint=True, to_field='id', related_name='acts', on_delete='CASCADE')),
                ('occurred_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('timezone', fields.CharField(max_length=64)),
                ('local_date', fields.DateField()),
                ('category', fields.CharField(null=True, max_length=32)),
                ('note', fields.TextField(null=True, unique=False)),
                ('mood_before', fields.SmallIntField(null=True)),
                ('mood_after', fields.SmallIntField(null=True)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'acts', 'app': 'lifted', 'indexes': [Index(fields=['account_id', 'local_date']), Index(fields=['account_id', 'occurred_at'])], 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='ApiToken',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('account', fields.ForeignKeyField('lifted.Account', source_field='account_id', db_constraint=True, to_field='id', related_name='tokens', on_delete='CASCADE')),
                ('name', fields.CharField(max_length=60)),
                ('token_hash', fields.CharField(unique=True, max_length=64)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('last_used_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('revoked_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'api_tokens', 'app': 'lifted', 'pk_attr': 'id', 'table_description': 'A personal access token for the JSON API, stored only as a SHA-256 hash.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='ArticleRead',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('account', fields.ForeignKeyField('lifted.Account', source_field='account_id', db_constraint=True, to_field='id', related_name='reads', on_delete='CASCADE')),
                ('slug', fields.CharField(max_length=80)),
                ('read_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'article_reads', 'app': 'lifted', 'unique_together': (('account', 'slug'),), 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='HeldAct',
            fields=[
                ('id', fields.UUIDField(primary_key=True, default=uuid4, unique=True, db_index=True)),
                ('account', fields.ForeignKeyField('lifted.Account', source_field='account_id', db_constraint=True, to_field='id', related_name='held_acts', on_delete='CASCADE')),
                ('occurred_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('timezone', fields.CharField(max_length=64)),
                ('reason', fields.CharField(max_length=200)),
                ('payload', fields.JSONField(default=dict, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('received_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'held_acts', 'app': 'lifted', 'pk_attr': 'id', 'table_description': 'A tap whose time was out of bounds (future, or older than 30 days), kept for review.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='PushSubscription',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('account', fields.ForeignKeyField('lifted.Account', source_field='account_id', db_constraint=True, to_field='id', related_name='push_subscriptions', on_delete='CASCADE')),
                ('endpoint', fields.CharField(unique=True, max_length=1000)),
                ('p256dh', fields.CharField(max_length=200)),
                ('auth', fields.CharField(max_length=100)),
                ('label', fields.CharField(default='', max_length=100)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('last_delivered_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('last_error', fields.CharField(null=True, max_length=300)),
                ('failures', fields.IntField(default=0)),
            ],
            options={'table': 'push_subscriptions', 'app': 'lifted', 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='RateLimitHit',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('key', fields.CharField(db_index=True, max_length=200)),
                ('at', fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'rate_limit_hits', 'app': 'lifted', 'pk_attr': 'id', 'table_description': 'One counted attempt against a rate-limit key (an account or a client address).'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='ReminderSend',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('account', fields.ForeignKeyField('lifted.Account', source_field='account_id', db_constraint=True, to_field='id', related_name='reminder_sends', on_delete='CASCADE')),
                ('local_date', fields.DateField()),
                ('due_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('status', fields.CharField(default='claimed', max_length=20)),
                ('detail', fields.CharField(default='', max_length=300)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'reminder_sends', 'app': 'lifted', 'unique_together': (('account', 'local_date'),), 'pk_attr': 'id', 'table_description': 'One reminder occurrence. The unique (account, local_date) row is the claim that makes'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='ReminderSettings',
            fields=[
                ('account', fields.OneToOneField('lifted.Account', source_field='account_id', primary_key=True, db_index=True, db_constraint=True, to_field='id', related_name='reminder_settings', on_delete='CASCADE')),
                ('enabled', fields.BooleanField(default=False)),
                ('time_of_day', fields.CharField(default='19:00', max_length=5)),
                ('days', fields.SmallIntField(default=127)),
                ('timezone', fields.CharField(default='UTC', max_length=64)),
                ('quiet_start', fields.CharField(null=True, max_length=5)),
                ('quiet_end', fields.CharField(null=True, max_length=5)),
                ('paused_until', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('skip_if_logged', fields.BooleanField(default=True)),
                ('calendar_token', fields.CharField(null=True, unique=True, max_length=64)),
                ('next_due_at', fields.DatetimeField(null=True, db_index=True, auto_now=False, auto_now_add=False)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'reminder_settings', 'app': 'lifted', 'pk_attr': 'account_id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Session',
            fields=[
                ('id', fields.CharField(primary_key=True, unique=True, db_index=True, max_length=64)),
                ('account', fields.ForeignKeyField('lifted.Account', source_field='account_id', db_constraint=True, to_field='id', related_name='sessions', on_delete='CASCADE')),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('last_seen_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'sessions', 'app': 'lifted', 'pk_attr': 'id', 'table_description': 'A signed-in browser. The cookie holds a random token, stored here only as a SHA-256 hash.'},
            bases=['Model'],
        ),
    ]
