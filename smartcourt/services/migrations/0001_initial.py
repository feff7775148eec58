# The platform services take over two tables with their rows (issue 14 item 3): claims' phone challenges and
# funds' Idempotency-Key claims, renamed by claims.0005 and funds.0004. Nothing is created in the database here
# but the unique constraint under its new name.

import django.db.models.deletion
import uuid
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('claims', '0005_phonechallenge_to_services'),
        ('funds', '0004_clientkey_to_services'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='PhoneChallenge',
                    fields=[
                        ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                        ('created_at', models.DateTimeField(auto_now_add=True, help_text='When the record was created.')),
                        ('updated_at', models.DateTimeField(auto_now=True, help_text='When the record was last changed.')),
                        ('phone', models.CharField(db_index=True, max_length=20)),
                        ('code_hash', models.CharField(max_length=64)),
                        ('expires_at', models.DateTimeField()),
                        ('attempts', models.PositiveSmallIntegerField(default=0)),
                        ('verified_at', models.DateTimeField(blank=True, null=True)),
                        ('used_at', models.DateTimeField(blank=True, help_text='When a registration consumed it.', null=True)),
                    ],
                    options={
                        'abstract': False,
                    },
                ),
                migrations.CreateModel(
                    name='ClientKey',
                    fields=[
                        ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                        ('key', models.CharField(max_length=100)),
                        ('body_sha256', models.CharField(max_length=64)),
                        ('done', models.BooleanField(default=False, help_text='False while the first request is being handled.')),
                        ('claimed_at', models.DateTimeField()),
                        ('user', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'constraints': [models.UniqueConstraint(fields=('user', 'key'), name='funds_api_key_claimed_once')],
                    },
                ),
            ],
        ),
        migrations.RemoveConstraint(model_name='clientkey', name='funds_api_key_claimed_once'),
        migrations.AddConstraint(
            model_name='clientkey',
            constraint=models.UniqueConstraint(fields=('user', 'key'), name='services_client_key_claimed_once'),
        ),
    ]
