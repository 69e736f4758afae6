"""Re-checking a study's top trials (is the winner real?): read the result, or start one."""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import api_view
from rest_framework.response import Response

from studies.services import rechecks

from .best_model import BUSY
from .common import study_for, validated
from .serializers import DetailSerializer

CANNOT = OpenApiResponse(DetailSerializer, description="several objectives, a benchmark function, no complete trial, "
                         "a re-check under way, or an external study still running")


class RecheckRequestSerializer(serializers.Serializer):
    top_k = serializers.IntegerField(min_value=1, max_value=rechecks.MAX_TOP_K, default=5,
                                     help_text="how many of the best complete trials to measure again")
    repeats = serializers.IntegerField(min_value=1, max_value=rechecks.MAX_REPEATS, default=3,
                                       help_text="how many times to measure each one again")


class RecheckedTrialSerializer(serializers.Serializer):
    number = serializers.IntegerField(help_text="the trial's number")
    mean = serializers.FloatField(help_text="the mean of its fresh values")
    low = serializers.FloatField(help_text="the low end of the 95% interval of that mean")
    high = serializers.FloatField(help_text="the high end of the 95% interval of that mean")
    n = serializers.IntegerField(help_text="how many values the mean is of")


class RecheckSerializer(serializers.Serializer):
    """The shape of a re-check (documentation only: the service builds the body)."""

    state = serializers.ChoiceField(["none", "queued", "running", "ready", "failed"],
                                    help_text="none: never asked; queued or running: poll until ready or failed")
    top_k = serializers.IntegerField(help_text="how many trials are re-checked")
    repeats = serializers.IntegerField(help_text="how many fresh measurements of each")
    error = serializers.CharField(help_text="why it failed, in words; empty otherwise")
    trials = RecheckedTrialSerializer(many=True, help_text="best mean first; an external study's fill in as its "
                                                           "re-check trials complete")
    robust_best = serializers.IntegerField(allow_null=True, help_text="the trial with the best mean, once ready")
    sentence = serializers.CharField(help_text="the comparison of the two best, in plain words, once ready")


@extend_schema(methods=["GET"], responses={200: RecheckSerializer},
               summary="The latest re-check of the study's top trials: each trial's mean with a 95% interval, "
                       "the most reliable trial, and a sentence comparing the two best")
@extend_schema(methods=["POST"], request=RecheckRequestSerializer,
               responses={202: RecheckSerializer, 409: CANNOT, 503: BUSY},
               summary="Measure the top trials again (owner and editors): a worker re-runs a built-in study's "
                       "cross-validation on new folds; an external study's code is handed re-check trials by ask")
@api_view(["GET", "POST"])
def recheck(request, pk):
    study = study_for(request, pk, "view" if request.method == "GET" else "run")
    if request.method == "POST":
        data = validated(RecheckRequestSerializer, request.data)
        rechecks.request_recheck(study.pk, request.user, **data)
        return Response(rechecks.recheck_of(study), status=status.HTTP_202_ACCEPTED)
    return Response(rechecks.recheck_of(study))
