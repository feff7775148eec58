# Phone verification moves to the platform services (smartcourt.services, issue 14 item 3). The table is
# renamed, rows and all, and the model leaves this app's state; services.0001 takes it into its own state.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('claims', '0004_signed_documents_registration_agents'),
    ]

    operations = [
        migrations.AlterModelTable(name='phonechallenge', table='services_phonechallenge'),
        migrations.SeparateDatabaseAndState(state_operations=[migrations.DeleteModel(name='PhoneChallenge')]),
    ]
