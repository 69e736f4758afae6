"""Which studies, trials and datasets a user may see: the one place that decides."""

from studies.models import Dataset, Study, Trial


def studies_for(user):
    """The studies the user may see; anything else answers 404, never 403."""
    if not user.is_authenticated:
        return Study.objects.none()
    return Study.objects.filter(owner=user)


def trials_for(user):
    """The trials of the studies the user may see."""
    return Trial.objects.filter(study__in=studies_for(user))


def datasets_for(user):
    """The datasets the user uploaded."""
    if not user.is_authenticated:
        return Dataset.objects.none()
    return Dataset.objects.filter(owner=user)
