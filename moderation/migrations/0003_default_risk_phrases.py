from django.db import migrations

from moderation.risk import DEFAULT_PHRASES


def add_defaults(apps, schema_editor):
    phrase_model = apps.get_model("moderation", "RiskPhrase")
    for tier, phrases in DEFAULT_PHRASES.items():
        for phrase in phrases:
            phrase_model.objects.get_or_create(phrase=phrase, defaults={"tier": tier})


class Migration(migrations.Migration):
    dependencies = [("moderation", "0002_office_hours_duty_risk")]
    operations = [migrations.RunPython(add_defaults, migrations.RunPython.noop)]
