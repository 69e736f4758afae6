"""Name the value of every study of a built-in model made before a study of one objective could be
named: its metric in words ("root mean squared error"), as new ones are (services/specs.py).

It reads today's words (`metric_words`) rather than a frozen copy, so the words stay in one place;
were that function ever removed, this migration would change to a no-op, as it has nothing to do
on a database migrated since."""

from django.db import migrations

from studies.objectives.metrics import metric_words


def name_builtin_values(apps, schema_editor):
    Study = apps.get_model("studies", "Study")
    named = []
    for study in Study.objects.filter(objective__kind="sklearn", objective_names=[]).only("directions", "objective"):
        if len(study.directions) == 1 and study.objective.get("metric"):
            study.objective_names = [metric_words(study.objective["metric"])]
            named.append(study)
    Study.objects.bulk_update(named, ["objective_names"], batch_size=500)


class Migration(migrations.Migration):

    dependencies = [
        ("studies", "0022_study_retuned_from"),
    ]

    operations = [
        migrations.RunPython(name_builtin_values, migrations.RunPython.noop),
    ]
