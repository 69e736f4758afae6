"""The best model of a built-in study: prepare it on a worker, follow it, download it."""

from django.http import FileResponse, Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.decorators import api_view, content_negotiation_class, renderer_classes
from rest_framework.exceptions import NotAcceptable
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from studies.models import ModelExport
from studies.services import model_exports, read

from .common import study_for
from .serializers import DetailSerializer, ModelExportSerializer

PENDING = OpenApiResponse(ModelExportSerializer, description="queued or running: poll GET until ready or failed")
NO_MODEL = OpenApiResponse(DetailSerializer, description="not a built-in scikit-learn study, or no complete trial yet")
BUSY = OpenApiResponse(DetailSerializer, description="the task queue is unreachable; nothing was stored, retry")
NOT_READY = OpenApiResponse(DetailSerializer, description="no prepared model is ready yet: prepare it first")


# Preparing the model changes nothing in the study, and viewers could always download it: "view".
@extend_schema(methods=["GET"], responses={200: ModelExportSerializer},
               summary="The study's latest best-model export: queued, running, ready (with its URLs) or failed",
               description="404 until one has been prepared.")
@extend_schema(methods=["POST"], request=None,
               responses={202: PENDING, 200: ModelExportSerializer, 409: NO_MODEL, 503: BUSY},
               summary="Prepare the best model: a worker refits the best trial on the whole dataset; "
                       "a ready or pending export of the same trial is reused (200 when ready)")
@api_view(["GET", "POST"])
def best_model(request, pk):
    study = study_for(request, pk, "view")
    if request.method == "GET":
        export = read.latest_model_export(study)
        if export is None:
            return Response({"detail": "no best model has been prepared for this study yet"},
                            status=status.HTTP_404_NOT_FOUND)
        return Response(ModelExportSerializer(export, context={"request": request}).data)
    export, _ = model_exports.prepare_best_model(study.pk, request.user)
    pending = export.state in ModelExport.PENDING_STATES
    return Response(ModelExportSerializer(export, context={"request": request}).data,
                    status=status.HTTP_202_ACCEPTED if pending else status.HTTP_200_OK)


class _AnyAccept(DefaultContentNegotiation):
    """A file download answers whatever the client accepts instead of 406; its errors are JSON (the only renderer)."""

    def select_renderer(self, request, renderers, format_suffix=None):
        try:
            return super().select_renderer(request, renderers, format_suffix)
        except NotAcceptable:
            return renderers[0], renderers[0].media_type


def _download_view(suffix, media_type, body, summary):
    @extend_schema(operation_id=f"studies_best_model_{suffix}", responses={(200, media_type): body, 409: NOT_READY},
                   summary=summary)
    @api_view(["GET"])
    @renderer_classes([JSONRenderer])
    @content_negotiation_class(_AnyAccept)
    def download(request, pk):
        return _download(study_for(request, pk, "view"), suffix)

    return download


best_model_joblib = _download_view("joblib", "application/octet-stream", OpenApiTypes.BINARY,
                                   "Download the prepared best model: a scikit-learn pipeline saved with joblib")
best_model_py = _download_view("py", "text/x-python", OpenApiTypes.STR,
                               "Download how to load and rebuild the prepared best model (Python)")


def _download(study, suffix):
    if not model_exports.has_model(study):
        raise Http404(model_exports.NOT_A_MODEL_STUDY)
    handle, filename, content_type = model_exports.model_file(model_exports.ready_model_export(study), suffix)
    return FileResponse(handle, as_attachment=True, filename=filename, content_type=content_type)
