"""Several studies side by side: histories overlaid, best values, best params in one table."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_safe

from studies import access, inputs, selectors

from .. import facts, figures

MAX_STUDIES = 8
PICKABLE = 200


@require_safe
@login_required
def compare(request):
    visible = access.studies_for(request.user)
    ids = inputs.query_ids(request.GET.getlist("ids"), limit=MAX_STUDIES)
    studies = list(visible.filter(pk__in=ids).order_by("pk")) if ids else []
    rows = [_row(study) for study in studies]
    labels = [row["label"] for row in rows]
    histories = [(row["label"], row["direction"], row["history"]) for row in rows]
    return render(request, "sharing/compare.html", {
        "choices": visible.order_by("-created_at").only("pk", "name", "sampler", "state")[:PICKABLE],
        "selected": {study.pk for study in studies}, "rows": rows,
        "param_names": sorted({name for row in rows for name in (row["best"].params if row["best"] else {})}),
        "figures": {"history": figures.compare_history(histories),
                    "best": figures.compare_best(labels, [row["best"].value if row["best"] else None for row in rows])},
        "max_studies": MAX_STUDIES,
    })


def _row(study):
    direction = study.directions[0] if len(study.directions) == 1 else None
    history = [(n, v) for n, s, v in facts.history_rows(study) if s == "complete"]
    best = selectors.best_trial(study) if direction else None
    return {"study": study, "label": f"#{study.pk} {study.name} ({study.sampler.get('name', '?')})",
            "direction": direction or "minimize", "history": history, "best": best, "n_complete": len(history)}
