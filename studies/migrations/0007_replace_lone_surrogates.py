"""Replace lone surrogates and NUL stored before the API refused them with U+FFFD.

A JSON body could carry "\\ud800" (half of a UTF-16 pair) into a study's search space or a
trial's params; SQLite kept it inside its JSON text, and from then on every page and API
answer that showed the row failed to encode it (a 500 on the owner's and every member's
study list). PostgreSQL refuses both on input, so only SQLite databases can hold them.

Cleaning the rows once, rather than encoding defensively on every output, fixes every
reader at once: the API, the pages, the CSV and JSON exports, the report and the share
pages each encode text their own way, and a stored value that none can show is of no use.
"""

import re

from django.db import migrations

UNSTORABLE = re.compile("[\ud800-\udfff\x00]")
REPLACEMENT = "\ufffd"
FIELDS = {
    "Study": ("name", "directions", "search_space", "sampler", "pruner", "objective", "error"),
    "Trial": ("params", "values", "error", "worker", "request_key"),
    "Dataset": ("name", "columns", "preview", "suggested_target"),
    "Note": ("text",),
}


def _clean(value):
    if isinstance(value, str):
        return UNSTORABLE.sub(REPLACEMENT, value)
    if isinstance(value, list):
        return [_clean(item) for item in value]
    if isinstance(value, dict):
        return {_clean(key): _clean(item) for key, item in value.items()}
    return value


def replace_lone_surrogates(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return  # PostgreSQL never stored either
    for model_name, fields in FIELDS.items():
        model = apps.get_model("studies", model_name)
        rows = model.objects.using(schema_editor.connection.alias).values_list("pk", *fields)
        for pk, *values in rows.iterator(chunk_size=2000):
            cleaned = [(field, value, _clean(value)) for field, value in zip(fields, values)]
            changed = {field: clean for field, value, clean in cleaned if clean != value}
            if changed:
                model.objects.using(schema_editor.connection.alias).filter(pk=pk).update(**changed)


class Migration(migrations.Migration):
    dependencies = [("studies", "0006_trial_state_stopped")]

    operations = [migrations.RunPython(replace_lone_surrogates, migrations.RunPython.noop)]
