"""What drives the best model of a built-in study: read it, or have a worker compute it."""

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import api_view
from rest_framework.response import Response

from studies.models import Explanation
from studies.services import explanations, model_exports

from .best_model import BUSY, NO_MODEL
from .common import study_for


class ColumnImportanceSerializer(serializers.Serializer):
    name = serializers.CharField(help_text="a column of the dataset")
    importance = serializers.FloatField(help_text="how much the metric gets worse when this column is shuffled")
    importance_std = serializers.FloatField(help_text="the spread of that over the shuffles")


class ExplanationSerializer(serializers.Serializer):
    """The shape of an explanation (documentation only: the service builds the body)."""

    state = serializers.ChoiceField(["none", *Explanation.State.values],
                                    help_text="none: never computed; queued or running: poll until ready or failed")
    trial = serializers.IntegerField(allow_null=True, help_text="the number of the trial explained (the best)")
    error = serializers.CharField(help_text="why it failed, in words; empty otherwise")
    columns = ColumnImportanceSerializer(many=True, help_text="most important first; empty until ready")
    columns_caption = serializers.CharField(required=False)
    partial_dependence = serializers.ListField(
        child=serializers.DictField(), help_text="for the three most important columns: "
        "{name, kind, grid, series: [{label, values}], quantity, caption}")
    confusion_matrix = serializers.DictField(
        required=False, help_text="classification: {labels, counts (rows: real class, columns: predicted), caption}")
    predicted_vs_actual = serializers.DictField(
        required=False, help_text="regression: {actual, predicted, n_rows, caption}, out-of-fold, at most 2,000 points")


@extend_schema(methods=["GET"], responses={200: ExplanationSerializer},
               summary="What drives the best model: column importance, partial dependence, and a confusion "
                       "matrix (classification) or predicted against actual values (regression)",
               description="Computed on a worker once a built-in study completes, from predictions on rows each "
                           "fold's model had not seen. 404 for a study without a built-in model.")
@extend_schema(methods=["POST"], request=None,
               responses={202: ExplanationSerializer, 200: ExplanationSerializer, 409: NO_MODEL, 503: BUSY},
               summary="Explain the current best trial now (owner and editors): a worker computes it; "
                       "a ready or pending explanation of the same trial is reused (200 when ready)")
@api_view(["GET", "POST"])
def explain(request, pk):
    study = study_for(request, pk, "view" if request.method == "GET" else "run")
    if not model_exports.has_model(study):
        raise Http404(model_exports.NOT_A_MODEL_STUDY)
    if request.method == "POST":
        explanation = explanations.request_explanation(study.pk, request.user)
        pending = explanation.state in Explanation.PENDING_STATES
        return Response(explanations.explanation_of(study),
                        status=status.HTTP_202_ACCEPTED if pending else status.HTTP_200_OK)
    return Response(explanations.explanation_of(study))
