"""Read-side queries shared by the API and the pages."""

from django.db.models import Count, Q

from studies.models import Trial


def with_state_counts(queryset):
    """Annotate each study with the number of its trials in every state (one query)."""
    annotations = {f"n_{state}": Count("trials", filter=Q(trials__state=state)) for state in Trial.State.values}
    return queryset.annotate(**annotations)


def attach_summary(study):
    """Give a study annotated by with_state_counts its `state_counts` and `best` trial."""
    study.state_counts = {state: getattr(study, f"n_{state}", 0) for state in Trial.State.values}
    study.best = best_trial(study)
    return study


def best_trial(study):
    """The best complete trial for a single-objective study, or None."""
    if len(study.directions) != 1:
        return None
    order = "value" if study.directions[0] == "minimize" else "-value"
    return (
        Trial.objects.filter(study=study, state=Trial.State.COMPLETE, value__isnull=False)
        .order_by(order, "number")
        .only("pk", "number", "params", "value", "values")
        .first()
    )


def trial_changes(study, since, limit):
    """Trials changed after revision `since`, oldest change first, and the cursor to ask from next."""
    rows = list(Trial.objects.filter(study=study, revision__gt=since).order_by("revision")[: limit + 1])
    has_more = len(rows) > limit
    rows = rows[:limit]
    cursor = rows[-1].revision if has_more else max(study.revision, since)
    return rows, cursor, has_more


