"""Several studies side by side: histories overlaid, best values, best params in one table."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_safe

from studies import access
from studies.engine import hypervolume_history, reference_point
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
    return render(request, "dashboard/compare.html", {
        "choices": visible.order_by("-created_at").only("pk", "name", "sampler", "state")[:PICKABLE],
        "selected": {row["study"].pk for row in rows}, "rows": rows,
        "param_names": sorted({name for row in rows for name in (row["best"].params if row["best"] else {})}),
        "figures": _figures(rows), "max_studies": MAX_STUDIES,
        "single": any(row["direction"] for row in rows), "several": any(not row["direction"] for row in rows),
    })


def _row(study):
    direction = study.directions[0] if len(study.directions) == 1 else None
    history = read.complete_rows(study) if direction else None
    numbers, values = ([], []) if direction else read.complete_objectives(study)
    return {"study": study, "label": f"#{study.pk} {study.name} ({study.sampler.get('name', '?')})",
            "direction": direction, "history": history, "numbers": numbers, "values": values,
            "best": read.best_trial(study) if direction else None,
            "n_complete": len(history) if direction else len(numbers)}


def _figures(rows):
    """Studies of one objective by their best values; studies of several by their hypervolumes,
    measured up to one corner (only those with the first one's directions can share it)."""
    single = [row for row in rows if row["direction"]]
    several = [row for row in rows if not row["direction"]]
    figures = {}
    if single:
        figures["history"] = plots.compare_history([(row["label"], row["direction"], row["history"])
                                                    for row in single])
        figures["best"] = plots.compare_best([row["label"] for row in single],
                                             [row["best"].value if row["best"] else None for row in single])
    if several:
        directions = several[0]["study"].directions
        alike = [row for row in several if row["study"].directions == directions]
        reference = reference_point([v for row in alike for v in row["values"]], directions)
        histories = [(row["label"], row["numbers"], hypervolume_history(row["values"], directions, reference).volumes)
                     for row in alike]
        unlike = [row["label"] for row in several if row not in alike]
        figures["hypervolume"] = plots.compare_hypervolume(histories, reference, several[0]["study"].objective_labels,
                                                           unlike)
    return figures
