# Idempotency-Key claims move to the platform services (smartcourt.services, issue 14 item 3). The table is
# renamed, rows and all, and the model leaves this app's state; services.0001 takes it into its own state.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('funds', '0003_client_keys'),
    ]

    operations = [
        migrations.AlterModelTable(name='clientkey', table='services_clientkey'),
        migrations.SeparateDatabaseAndState(state_operations=[migrations.DeleteModel(name='ClientKey')]),
    ]
