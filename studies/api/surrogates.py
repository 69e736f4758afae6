"""What if and what more trials may bring, from the study's surrogate: read-only, for every role."""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.response import Response

from studies.services import surrogates

from .common import study_for, validated
from .serializers import DetailSerializer

DISTANCE_HELP = (
    "how far these params are from the nearest complete trial, from 0 (the same params) to 1: each "
    "parameter counts from 0 to 1 (a number by its gap as a share of its range, on a log scale where the "
    "space is log; a choice 0 if equal, 1 if not; a parameter used at one point only 1), and the distance "
    "is their root mean square. Below about 0.1 the prediction leans on a tried trial; above about 0.3 it "
    "is a rough guess")
SURROGATE_HELP = (
    "A Gaussian process (the gp sampler's model) fitted on the study's complete trials; refitted when a "
    f"trial completes. Needs at least {surrogates.MIN_TRIALS} complete trials and one objective.")


class PredictRequestSerializer(serializers.Serializer):
    params = serializers.DictField(help_text="parameter name -> value; parameters whose condition does not "
                                             "hold are ignored, every other parameter is required")


class NearestTrialSerializer(serializers.Serializer):
    number = serializers.IntegerField(help_text="the number of the nearest complete trial")
    distance = serializers.FloatField(help_text=DISTANCE_HELP)


class WhatIfSerializer(serializers.Serializer):
    mean = serializers.FloatField(help_text="the value a trial with these params is expected to score")
    low = serializers.FloatField(help_text="the low end of a 95% interval for that trial's value")
    high = serializers.FloatField(help_text="the high end of that interval")
    nearest_trial = NearestTrialSerializer()
    params = serializers.DictField(help_text="the params as predicted: inactive ones dropped, values normalised")
    n_trials = serializers.IntegerField(help_text="complete trials the model learned from")


class HorizonSerializer(serializers.Serializer):
    more_trials = serializers.IntegerField()
    expected_best = serializers.FloatField(help_text="the median best value after that many more trials")
    low = serializers.FloatField(help_text="80% interval of that best value: low end (10th percentile)")
    high = serializers.FloatField(help_text="high end (90th percentile)")
    at_limit = serializers.FloatField(help_text="the share of the simulated futures whose best reached the best value "
                                      "the score can take (R² 1, an error of 0): the model reaching past anything "
                                      "the trials show, not a forecast; from 0.1 the sentence does not quote this "
                                      "horizon's figures")
    quoted = serializers.BooleanField(help_text="whether the sentence and the page's chart use this horizon's "
                                      "figures: false from the first horizon whose at_limit reaches 0.1")


class ImprovementSerializer(serializers.Serializer):
    more_trials = serializers.IntegerField()
    min_gain = serializers.FloatField(help_text="a relative gain on today's best (0.01 = 1%)")
    probability = serializers.FloatField(allow_null=True, help_text="the chance that many more trials gain at least "
                                         "that much; null when today's best is exactly 0 (no share of it to gain)")


class CalibrationSerializer(serializers.Serializer):
    trials = serializers.IntegerField(help_text="the study's latest complete trials the advice was checked against "
                                      "(in windows of 10, each by the model conditioned on the trials before it)")
    expected_gain = serializers.FloatField(help_text="the gain on the best the model expected of those trials, "
                                           "in the objective's units")
    real_gain = serializers.FloatField(help_text="the gain they really brought")
    chance = serializers.FloatField(help_text="the chance the model gave of gains as small as those: under 0.05, "
                                    "the advice is scaled down")
    shrink = serializers.FloatField(help_text="the factor the simulated gains are scaled by: 1 when the model was not "
                                    "too hopeful, down to 0.1 when the trials brought nothing of what it expected")


class AdviceSerializer(serializers.Serializer):
    best = serializers.FloatField(help_text="today's best value")
    direction = serializers.ChoiceField(["minimize", "maximize"])
    n_trials = serializers.IntegerField(help_text="complete trials the model learned from")
    horizons = HorizonSerializer(many=True)
    improvement = ImprovementSerializer(many=True)
    calibration = CalibrationSerializer(help_text="the advice checked against the study's own latest trials "
                                        "(engine.hindcast); its trials are 0 when the study is too short for it")
    sentence = serializers.CharField(help_text="the advice in plain words")


_REFUSED = {400: OpenApiResponse(DetailSerializer, description="a multi-objective study"),
            409: OpenApiResponse(DetailSerializer, description="fewer complete trials than the model needs")}


@extend_schema(request=PredictRequestSerializer,
               responses={200: WhatIfSerializer, **_REFUSED, 400: OpenApiResponse(
                   description="bad params, keyed `params.<name>` (unknown, missing, out of range, not a "
                               "choice), or a multi-objective study (`detail`)")},
               summary="What if: the value a trial with these params would likely score, with a 95% interval "
                       "and the nearest tried trial (every role; nothing is stored)",
               description=SURROGATE_HELP)
@api_view(["POST"])
def predict(request, pk):
    study = study_for(request, pk, "view")
    data = validated(PredictRequestSerializer, request.data)
    return Response(surrogates.predict(study, data["params"]))


@extend_schema(responses={200: AdviceSerializer, **_REFUSED},
               summary="Budget advice: the best value to expect after 10, 50 and 200 more trials, and the "
                       "chance of gaining 1% or 5%",
               description=SURROGATE_HELP + " The advice simulates the more trials as random search over the "
                           "space on joint draws of the model (what trials there would score, noise included), so "
                           "a sampler that aims better usually does better. Measured (bench/README.md): the 80% "
                           "interval holds the real best 93-100% of the time 10 trials ahead, but only 20-67% "
                           "200 ahead; treat long horizons as a rough guess. It is checked against the study's own latest "
                           "trials (`calibration`) and scaled down, saying so in the sentence, where they gained far "
                           "less than the model gave them.")
@api_view(["GET"])
def advice(request, pk):
    study = study_for(request, pk, "view")
    return Response(surrogates.advice_of(study))
