"""What the share pages, the member pages and the API share: the study with its header figures, model files."""

from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404

from dashboard import queries
from dashboard import summary as dashboard_summary
from studies import access, selectors
from studies.models import Study

from .. import services


def study_with_summary(pk, queryset=None):
    studies = queries.studies_with_summary((queryset if queryset is not None else Study.objects).select_related("owner"))
    return get_object_or_404(studies, pk=pk)


def visible_study(request, pk, action="view"):
    """The study if the user's role allows `action`: 404 without access, 403 for too small a role."""
    study = study_with_summary(pk, access.studies_for(request.user))
    access.require(request.user, study, action)
    return study


def display_name(user):
    return user.get_full_name() or user.get_username()


def public_header(study):
    """The header figures, with the owner's display name as the only name in them."""
    header = dashboard_summary.header(study)
    header["owner"] = display_name(study.owner)
    best = selectors.best_trial(study)
    header["best"] = {"number": best.number, "params": best.params, "value": best.value} if best else None
    return header


def attachment(content, filename, content_type):
    """`content` as a download named `filename`."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def model_download(export, suffix):
    """A ready export's model ("joblib") or its text ("py") as an attachment with the usual name."""
    filename = services.model_filename(export.study_id, suffix)
    if suffix == "joblib":
        return FileResponse(export.file.open("rb"), as_attachment=True, filename=filename,
                            content_type="application/octet-stream")
    return attachment(export.text, filename, "text/x-python; charset=utf-8")
