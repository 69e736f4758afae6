"""Downloads for signed-in users who may see a study: the HTML report and the best model."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.views.decorators.http import require_safe

from .. import model_export, report
from .common import visible_study


def _attachment(content, filename, content_type):
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_safe
@login_required
def report_download(request, pk):
    study = visible_study(request, pk)
    return _attachment(report.build(study), f"study-{study.pk}-report.html", "text/html; charset=utf-8")


@require_safe
@login_required
def best_model(request, pk):
    study = visible_study(request, pk)
    model, _ = _refit(study)
    return _attachment(model, f"study-{study.pk}-best-model.joblib", "application/octet-stream")


@require_safe
@login_required
def best_model_text(request, pk):
    study = visible_study(request, pk)
    _, text = _refit(study)
    return _attachment(text, f"study-{study.pk}-best-model.py", "text/x-python; charset=utf-8")


def _refit(study):
    try:
        return model_export.best_model(study)
    except model_export.NoModel as exc:
        raise Http404(str(exc)) from None
