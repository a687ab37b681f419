from django.db import migrations

from community.crisis_contacts import crisis_contacts_ensure_defaults


def add_defaults(apps, schema_editor):
    crisis_contacts_ensure_defaults(apps.get_model("community", "CrisisContact"))


class Migration(migrations.Migration):
    dependencies = [("community", "0001_initial")]
    operations = [migrations.RunPython(add_defaults, migrations.RunPython.noop)]
