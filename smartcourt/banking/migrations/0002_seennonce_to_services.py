# The nonce store moves to the platform services (smartcourt.services, issue 18): the bank's notifications, the
# payment service's and the internet zone's signed app requests all remember nonces in it. The table is renamed,
# rows and all, and the model leaves this app's state; services.0002 takes it into its own state.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('banking', '0001_initial'),
    ]

    operations = [
        migrations.AlterModelTable(name='seennonce', table='services_seennonce'),
        migrations.SeparateDatabaseAndState(state_operations=[migrations.DeleteModel(name='SeenNonce')]),
    ]
