"""REST endpoints for members, share links, notes and the best model; each authorises through `studies.access`."""

from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.decorators import api_view, content_negotiation_class, renderer_classes
from rest_framework.exceptions import NotAcceptable
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from studies import access

from . import services
from .models import ModelExport, Note, ShareLink, StudyMember
from .serializers import (
    DetailSerializer,
    MemberCreateSerializer,
    MemberSerializer,
    ModelExportSerializer,
    NoteSerializer,
    NoteWriteSerializer,
    ShareLinkCreatedSerializer,
    ShareLinkCreateSerializer,
    ShareLinkSerializer,
)
from .views.common import model_download


def _study(request, pk, action):
    study = get_object_or_404(access.studies_for(request.user), pk=pk)
    access.require(request.user, study, action)
    return study


def _validated(serializer_class, data):
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


@extend_schema(methods=["GET"], responses={200: MemberSerializer(many=True)}, summary="Who the study is shared with")
@extend_schema(methods=["POST"], request=MemberCreateSerializer, responses={201: MemberSerializer},
               summary="Share the study with a user as viewer or editor (owner only)")
@api_view(["GET", "POST"])
def members(request, pk):
    if request.method == "GET":
        study = _study(request, pk, "view")
        rows = StudyMember.objects.filter(study=study).select_related("user").order_by("user__username")
        return Response(MemberSerializer(rows, many=True).data)
    study = _study(request, pk, "share")
    data = _validated(MemberCreateSerializer, request.data)
    member, created = services.add_member(study.pk, data["username"], data["role"])
    return Response(MemberSerializer(member).data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


@extend_schema(request=None, responses={204: None}, summary="Stop sharing the study with a user (owner only)")
@api_view(["DELETE"])
def member(request, pk, username):
    study = _study(request, pk, "share")
    if not services.remove_member(study.pk, username):
        return Response({"detail": f"{username!r} is not a member of this study"}, status=status.HTTP_404_NOT_FOUND)
    return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(methods=["GET"], responses={200: ShareLinkSerializer(many=True)}, summary="The study's share links")
@extend_schema(methods=["POST"], request=ShareLinkCreateSerializer, responses={201: ShareLinkCreatedSerializer},
               summary="Make a read-only link; the answer holds the only copy of its URL")
@api_view(["GET", "POST"])
def share_links(request, pk):
    study = _study(request, pk, "share")
    if request.method == "GET":
        links = ShareLink.objects.filter(study=study).select_related("created_by").order_by("-created_at")
        return Response(ShareLinkSerializer(links, many=True).data)
    data = _validated(ShareLinkCreateSerializer, request.data)
    link, token = services.create_share_link(study.pk, request.user, data["expires_at"])
    url = request.build_absolute_uri(reverse("sharing:share", args=[token]))
    return Response(ShareLinkCreatedSerializer(link, context={"url": url}).data, status=status.HTTP_201_CREATED)


@extend_schema(request=None, responses={204: None}, summary="Revoke a share link (the study's owner only)")
@api_view(["DELETE"])
def share_link(request, link_id):
    link = get_object_or_404(ShareLink.objects.filter(study__in=access.studies_for(request.user)), pk=link_id)
    access.require(request.user, link.study, "share")
    services.revoke_share_link(link.pk)
    return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(methods=["GET"], responses={200: NoteSerializer(many=True)}, summary="The study's notes")
@extend_schema(methods=["PUT"], request=NoteWriteSerializer, responses={200: NoteSerializer},
               summary="Write the study's note, or a trial's with `trial`; empty text deletes it")
@api_view(["GET", "PUT"])
def notes(request, pk):
    if request.method == "GET":
        study = _study(request, pk, "view")
        rows = Note.objects.filter(study=study).select_related("trial", "updated_by").order_by("trial__number")
        return Response(NoteSerializer(rows, many=True).data)
    study = _study(request, pk, "edit_notes")
    data = _validated(NoteWriteSerializer, request.data)
    note = services.save_note(study.pk, data["trial"], data["text"], request.user)
    if note is None:
        return Response(status=status.HTTP_204_NO_CONTENT)
    return Response(NoteSerializer(note).data)


PENDING = OpenApiResponse(ModelExportSerializer, description="queued or running: poll GET until ready or failed")
NO_MODEL = OpenApiResponse(DetailSerializer, description="not a built-in scikit-learn study, or no complete trial yet")
BUSY = OpenApiResponse(DetailSerializer, description="the task queue is unreachable; nothing was stored, retry")


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
    study = _study(request, pk, "view")
    if request.method == "GET":
        export = services.latest_model_export(study.pk)
        if export is None:
            return Response({"detail": "no best model has been prepared for this study yet"},
                            status=status.HTTP_404_NOT_FOUND)
        return Response(ModelExportSerializer(export, context={"request": request}).data)
    export, _ = services.prepare_best_model(study.pk, request.user)
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


NOT_READY = OpenApiResponse(DetailSerializer, description="no prepared model is ready yet: prepare it first")


@extend_schema(operation_id="studies_best_model_joblib",
               responses={(200, "application/octet-stream"): OpenApiTypes.BINARY, 409: NOT_READY},
               summary="Download the prepared best model: a scikit-learn pipeline saved with joblib")
@api_view(["GET"])
@renderer_classes([JSONRenderer])
@content_negotiation_class(_AnyAccept)
def best_model_joblib(request, pk):
    study = _study(request, pk, "view")
    return model_download(services.ready_model_export(study), "joblib")


@extend_schema(operation_id="studies_best_model_py",
               responses={(200, "text/x-python"): OpenApiTypes.STR, 409: NOT_READY},
               summary="Download how to load and rebuild the prepared best model (Python)")
@api_view(["GET"])
@renderer_classes([JSONRenderer])
@content_negotiation_class(_AnyAccept)
def best_model_py(request, pk):
    study = _study(request, pk, "view")
    return model_download(services.ready_model_export(study), "py")
