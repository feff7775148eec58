# The nonce store, taken over from banking with its rows (banking.0002 renamed the table). Only the unique
# constraint is renamed in the database.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('services', '0001_initial'),
        ('banking', '0002_seennonce_to_services'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='SeenNonce',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('keyid', models.CharField(max_length=100)),
                        ('nonce', models.CharField(max_length=200)),
                        ('created', models.BigIntegerField(help_text="the signature's created parameter (Unix seconds)")),
                        ('seen_at', models.DateTimeField(auto_now_add=True, db_index=True)),
                    ],
                    options={
                        'constraints': [models.UniqueConstraint(fields=('keyid', 'nonce'), name='banking_seen_nonce_unique')],
                    },
                ),
            ],
        ),
        migrations.RemoveConstraint(model_name='seennonce', name='banking_seen_nonce_unique'),
        migrations.AddConstraint(
            model_name='seennonce',
            constraint=models.UniqueConstraint(fields=('keyid', 'nonce'), name='services_seen_nonce_unique'),
        ),
    ]
