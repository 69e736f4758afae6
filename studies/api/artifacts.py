"""Files attached to a trial: attach one, list them, download one."""

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import api_view, content_negotiation_class, renderer_classes
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from studies import access
from studies.models import Artifact
from studies.services import artifacts

from .best_model import _AnyAccept
from .common import validated
from .serializers import ArtifactSerializer, DetailSerializer
from .uploads import ArtifactUploadHandler


class ArtifactUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="any file the trial made: an image, a CSV or TSV table, a log, JSON; "
                                           "programs are refused, and what it is is read from its bytes")


def _trial(request, pk, action):
    trial = get_object_or_404(access.trials_for(request.user).select_related("study"), pk=pk)
    access.require(request.user, trial.study, action)
    return trial


class TrialArtifacts(APIView):
    parser_classes = [MultiPartParser, FormParser]

    def initialize_request(self, request, *args, **kwargs):
        request.upload_handlers.insert(0, ArtifactUploadHandler(request))
        return super().initialize_request(request, *args, **kwargs)

    @extend_schema(responses={200: ArtifactSerializer(many=True)}, summary="The files attached to a trial")
    def get(self, request, pk):
        found = Artifact.objects.filter(trial=_trial(request, pk, "see_files"))
        return Response(ArtifactSerializer(found, many=True, context={"request": request}).data)

    @extend_schema(request={"multipart/form-data": ArtifactUploadSerializer},
                   responses={201: ArtifactSerializer,
                              400: OpenApiResponse(OpenApiTypes.OBJECT, description="a program, or bytes that "
                                                   "disagree with the name (a .png that is not a PNG), named on "
                                                   '`file` (field → messages, e.g. {"file": [...]}); nothing stored'),
                              413: OpenApiResponse(DetailSerializer, description="over the limit for one file or "
                                                   "for all of a study's files; nothing stored")},
                   summary="Attach a file to a trial (owner and editors)")
    def post(self, request, pk):
        trial = _trial(request, pk, "attach_files")
        data = validated(ArtifactUploadSerializer, request.data)
        artifact = artifacts.attach_artifact(trial, request.user, data["file"])
        return Response(ArtifactSerializer(artifact, context={"request": request}).data, status=status.HTTP_201_CREATED)


trial_artifacts = TrialArtifacts.as_view()


@extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY},
               summary="Download a file attached to a trial: images and plain text inline, anything else as an "
                       "attachment")
@api_view(["GET"])
@renderer_classes([JSONRenderer])
@content_negotiation_class(_AnyAccept)
def artifact_download(request, artifact_id):
    found = get_object_or_404(Artifact.objects.filter(trial__in=access.trials_for(request.user))
                              .select_related("trial__study"), pk=artifact_id)
    access.require(request.user, found.trial.study, "see_files")
    return artifacts.download(found)
