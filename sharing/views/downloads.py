"""Downloads for signed-in users who may see a study: the HTML report and the best model."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.views.decorators.http import require_safe

from studies.services import Conflict

from .. import report, services
from .common import attachment, model_download, visible_study


@require_safe
@login_required
def report_download(request, pk):
    study = visible_study(request, pk)
    return attachment(report.build(study), f"study-{study.pk}-report.html", "text/html; charset=utf-8")


@require_safe
@login_required
def best_model(request, pk):
    """The prepared best model (joblib); 409 with the reason until one is ready."""
    return _model(request, pk, "joblib")


@require_safe
@login_required
def best_model_text(request, pk):
    """How to load and rebuild the prepared best model (Python); 409 until one is ready."""
    return _model(request, pk, "py")


def _model(request, pk, suffix):
    # The refit itself runs on a worker (services.prepare_best_model): this only serves its files.
    study = visible_study(request, pk)
    try:
        export = services.ready_model_export(study)
    except Conflict as exc:
        return HttpResponse(exc.message, status=409, content_type="text/plain; charset=utf-8")
    return model_download(export, suffix)
