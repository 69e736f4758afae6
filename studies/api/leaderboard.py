"""The leaderboard of a study: the best trial of each model family, the ensemble, the baseline."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.response import Response

from studies.services import read

from .common import study_for
from .serializers import BaselineSerializer


class FamilySerializer(serializers.Serializer):
    estimator = serializers.CharField(help_text="the model family, e.g. random_forest")
    best_value = serializers.FloatField(help_text="the value of the family's best trial")
    cv_mean = serializers.FloatField(allow_null=True, help_text="its mean score over the CV folds")
    cv_std = serializers.FloatField(allow_null=True, help_text="its standard deviation over the folds")
    fit_time_s = serializers.FloatField(allow_null=True, help_text="mean seconds to train and score one fold")
    trial = serializers.IntegerField(help_text="the number of the family's best trial")
    n_trials = serializers.IntegerField(help_text="the family's complete trials")


class EnsembleSerializer(serializers.Serializer):
    members = serializers.ListField(child=serializers.IntegerField(), help_text="the trials averaged, best first")
    value = serializers.FloatField(help_text="the ensemble's mean score on the same CV folds")
    cv_mean = serializers.FloatField(allow_null=True)
    cv_std = serializers.FloatField(allow_null=True)
    fit_time_s = serializers.FloatField(allow_null=True)
    best_trial = serializers.IntegerField(help_text="the best single trial it was compared with")
    best_value = serializers.FloatField()
    beats = serializers.BooleanField(help_text="whether it beats that trial by more than the folds vary, "
                                               "and so is offered as the result")


class LeaderboardSerializer(serializers.Serializer):
    families = FamilySerializer(many=True, help_text="best first")
    ensemble = EnsembleSerializer(allow_null=True, help_text="null until a worker has evaluated it, and for "
                                                             "studies with one model family")
    baseline = BaselineSerializer(allow_null=True)


@extend_schema(responses={200: LeaderboardSerializer},
               summary="The best trial of each model family with its CV mean ± standard deviation and fit time, "
                       "the ensemble of the best few and the baseline")
@api_view(["GET"])
def leaderboard(request, pk):
    return Response(read.leaderboard(study_for(request, pk, "view")))
