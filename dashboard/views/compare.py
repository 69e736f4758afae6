"""Several studies side by side: histories overlaid, best values, best params in one table."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_safe

from studies import access
from studies.services import inputs, read

from .. import plots

MAX_STUDIES = 8
PICKABLE = 200


@require_safe
@login_required
def compare(request):
    """`?ids=1,2` (the README's form) or `?ids=1&ids=2` (what the picker submits)."""
    visible = access.studies_for(request.user)
    ids = inputs.query_ids(request.GET.getlist("ids"), limit=MAX_STUDIES)
    rows = [_row(study) for study in visible.filter(pk__in=ids).order_by("pk")] if ids else []
    labels = [row["label"] for row in rows]
    histories = [(row["label"], row["direction"], row["history"]) for row in rows]
    return render(request, "dashboard/compare.html", {
        "choices": visible.order_by("-created_at").only("pk", "name", "sampler", "state")[:PICKABLE],
        "selected": {row["study"].pk for row in rows}, "rows": rows,
        "param_names": sorted({name for row in rows for name in (row["best"].params if row["best"] else {})}),
        "figures": {"history": plots.compare_history(histories),
                    "best": plots.compare_best(labels, [row["best"].value if row["best"] else None for row in rows])},
        "max_studies": MAX_STUDIES,
    })


def _row(study):
    direction = study.directions[0] if len(study.directions) == 1 else None
    history = read.complete_rows(study)
    return {"study": study, "label": f"#{study.pk} {study.name} ({study.sampler.get('name', '?')})",
            "direction": direction or "minimize", "history": history,
            "best": read.best_trial(study) if direction else None, "n_complete": len(history)}
