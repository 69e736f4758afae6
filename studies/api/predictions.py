"""Predictions with a study's best model on an uploaded CSV: upload, follow, download."""

from django.http import FileResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import api_view, content_negotiation_class, renderer_classes
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from studies import access
from studies.models import Prediction
from studies.services import predictions

# A file download answers whatever the client accepts, as the best model's downloads do.
from .best_model import _AnyAccept
from .common import study_for, validated
from .serializers import DetailSerializer
from .uploads import CappedUploadHandler


class PredictionUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="a CSV (UTF-8) with the columns the study's model learned from; "
                                           "extra columns are ignored and kept in the output")


class PredictionSerializer(serializers.ModelSerializer):
    """A prediction job: its state, rows done, and once ready where to download the CSV."""

    trial = serializers.IntegerField(source="trial.number", help_text="the number of the trial whose model predicts")
    url = serializers.SerializerMethodField(help_text="the CSV with the predictions once ready, else null")
    rows = serializers.IntegerField(help_text="rows predicted so far")
    n_rows = serializers.IntegerField(help_text="data rows in the uploaded file")
    probabilities = serializers.BooleanField(
        help_text="whether the CSV has a `probability_<class>` column per class; false for a regressor and for "
                  "a model that cannot say how sure it is (an SVM tuned for a metric that needs no probabilities)")

    class Meta:
        model = Prediction
        fields = ["id", "state", "rows", "n_rows", "probabilities", "url", "error", "name", "trial", "created_at", "finished_at"]
        read_only_fields = fields

    def get_url(self, prediction) -> str | None:
        if prediction.state != Prediction.State.READY:
            return None
        path = reverse("prediction-csv", args=[prediction.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


def _answer(description):
    return OpenApiResponse(DetailSerializer, description=description)


class StudyPredictions(APIView):
    parser_classes = [MultiPartParser, FormParser]

    def initialize_request(self, request, *args, **kwargs):
        request.upload_handlers.insert(0, CappedUploadHandler(request))
        return super().initialize_request(request, *args, **kwargs)

    @extend_schema(request={"multipart/form-data": PredictionUploadSerializer},
                   responses={202: PredictionSerializer,
                              400: _answer("a bad file, nothing stored: the fault named on `file`, e.g. the "
                                           "columns the model needs that the file lacks"),
                              409: _answer("not a built-in scikit-learn study, or no complete trial yet"),
                              413: _answer("the file is over the upload size limit"),
                              429: _answer("too many predictions under way; wait for one to finish"),
                              503: _answer("the task queue is unreachable; nothing was stored, retry")},
                   summary="Predict with the best model on a CSV: a worker adds a `prediction` column (and "
                           "`probability_<class>` columns for classifiers); poll the prediction until ready")
    def post(self, request, pk):
        study = study_for(request, pk, "use_model")
        data = validated(PredictionUploadSerializer, request.data)
        prediction = predictions.create_prediction(study.pk, request.user, data["file"])
        return Response(PredictionSerializer(prediction, context={"request": request}).data,
                        status=status.HTTP_202_ACCEPTED)


study_predictions = StudyPredictions.as_view()


def _own(request, prediction_id):
    return get_object_or_404(access.predictions_for(request.user).select_related("trial"), pk=prediction_id)


@extend_schema(methods=["GET"], responses={200: PredictionSerializer},
               summary="One of your predictions: queued, running (rows done so far), ready (with its URL) or failed")
@extend_schema(methods=["DELETE"], responses={204: None}, summary="Delete one of your predictions and its files")
@api_view(["GET", "DELETE"])
def prediction(request, prediction_id):
    found = _own(request, prediction_id)
    if request.method == "DELETE":
        predictions.delete_prediction(found)
        return Response(status=status.HTTP_204_NO_CONTENT)
    return Response(PredictionSerializer(found, context={"request": request}).data)


@extend_schema(responses={(200, "text/csv"): OpenApiTypes.STR, 409: _answer("the predictions are not ready")},
               summary="Download the CSV: the uploaded columns, then `prediction` and `probability_<class>`")
@api_view(["GET"])
@renderer_classes([JSONRenderer])
@content_negotiation_class(_AnyAccept)
def prediction_csv(request, prediction_id):
    handle, filename = predictions.prediction_file(_own(request, prediction_id))
    return FileResponse(handle, as_attachment=True, filename=filename, content_type="text/csv; charset=utf-8")
