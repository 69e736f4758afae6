"""Who a study is shared with: members (viewer, editor) and read-only share links."""

from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import api_view
from rest_framework.response import Response

from studies import access
from studies.models import ShareLink
from studies.services import members as member_service
from studies.services import read, share_links

from .common import study_for, validated
from .serializers import (
    MemberCreateSerializer,
    MemberSerializer,
    ShareLinkCreatedSerializer,
    ShareLinkCreateSerializer,
    ShareLinkSerializer,
)


@extend_schema(methods=["GET"], responses={200: MemberSerializer(many=True)}, summary="Who the study is shared with")
@extend_schema(methods=["POST"], request=MemberCreateSerializer, responses={201: MemberSerializer},
               summary="Share the study with a user as viewer or editor (owner only)")
@api_view(["GET", "POST"])
def members(request, pk):
    if request.method == "GET":
        return Response(MemberSerializer(read.members_of(study_for(request, pk, "view")), many=True).data)
    study = study_for(request, pk, "share")
    data = validated(MemberCreateSerializer, request.data)
    member, created = member_service.add_member(study.pk, data["username"], data["role"])
    return Response(MemberSerializer(member).data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


@extend_schema(request=None, responses={204: None}, summary="Stop sharing the study with a user (owner only)")
@api_view(["DELETE"])
def member(request, pk, username):
    study = study_for(request, pk, "share")
    if not member_service.remove_member(study.pk, username):
        return Response({"detail": f"{username!r} is not a member of this study"}, status=status.HTTP_404_NOT_FOUND)
    return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(methods=["GET"], responses={200: ShareLinkSerializer(many=True)}, summary="The study's share links")
@extend_schema(methods=["POST"], request=ShareLinkCreateSerializer, responses={201: ShareLinkCreatedSerializer},
               summary="Make a read-only link; the answer holds the only copy of its URL")
@api_view(["GET", "POST"])
def links(request, pk):
    study = study_for(request, pk, "share")
    if request.method == "GET":
        return Response(ShareLinkSerializer(read.share_links_of(study), many=True).data)
    data = validated(ShareLinkCreateSerializer, request.data)
    link, token = share_links.create_share_link(study.pk, request.user, data["expires_at"])
    url = request.build_absolute_uri(reverse("dashboard:share", args=[token]))
    return Response(ShareLinkCreatedSerializer(link, context={"url": url}).data, status=status.HTTP_201_CREATED)


@extend_schema(request=None, responses={204: None}, summary="Revoke a share link (the study's owner only)")
@api_view(["DELETE"])
def link(request, link_id):
    found = get_object_or_404(ShareLink.objects.filter(study__in=access.studies_for(request.user)), pk=link_id)
    access.require(request.user, found.study, "share")
    share_links.revoke_share_link(found.pk)
    return Response(status=status.HTTP_204_NO_CONTENT)
