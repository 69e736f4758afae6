"""Several studies side by side: histories overlaid, best values, best params in one table."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_safe

from studies import access
from studies.services import inputs

from .. import compare as comparison

MAX_STUDIES = 8
PICKABLE = 200


@require_safe
@login_required
def compare(request):
    """`?ids=1,2` (the README's form) or `?ids=1&ids=2` (what the picker submits)."""
    visible = access.studies_for(request.user)
    ids = inputs.query_ids(request.GET.getlist("ids"), limit=MAX_STUDIES)
    rows = [comparison.row(study) for study in visible.filter(pk__in=ids).order_by("pk")] if ids else []
    return render(request, "dashboard/compare.html", {
        "choices": visible.order_by("-created_at").only("pk", "name", "sampler", "state")[:PICKABLE],
        "selected": {row["study"].pk for row in rows}, "rows": rows,
        "best_params": comparison.best_params(rows),
        "figures": comparison.figures(rows), "max_studies": MAX_STUDIES,
        "single": any(row["direction"] for row in rows), "several": any(not row["direction"] for row in rows),
    })
