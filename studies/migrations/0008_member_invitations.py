"""A membership is an invitation until its user accepts it; memberships made before were given
without asking, so they count as accepted when they were made."""

from django.db import migrations, models
from django.db.models import F


def accept_existing(apps, schema_editor):
    apps.get_model("studies", "StudyMember").objects.update(accepted_at=F("created_at"))


class Migration(migrations.Migration):
    dependencies = [("studies", "0007_replace_lone_surrogates")]

    operations = [
        migrations.AddField(model_name="studymember", name="accepted_at",
                            field=models.DateTimeField(blank=True, null=True)),
        migrations.RunPython(accept_existing, migrations.RunPython.noop),
    ]
