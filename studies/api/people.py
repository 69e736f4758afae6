"""Who a study is shared with: members (viewer, editor), invitations, and read-only share links."""

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
    InvitationSerializer,
    InvitedSerializer,
    MemberCreateSerializer,
    MemberSerializer,
    ShareLinkCreatedSerializer,
    ShareLinkCreateSerializer,
    ShareLinkSerializer,
)


@extend_schema(methods=["GET"], responses={200: MemberSerializer(many=True)},
               summary="Who the study is shared with (members who accepted)")
@extend_schema(methods=["POST"], request=MemberCreateSerializer, responses={202: InvitedSerializer},
               summary="Invite a user as viewer or editor, or change a member's role (owner only); "
                       "the answer is the same whether or not the username exists")
@api_view(["GET", "POST"])
def members(request, pk):
    if request.method == "GET":
        return Response(MemberSerializer(read.members_of(study_for(request, pk, "view")), many=True).data)
    study = study_for(request, pk, "share")
    data = validated(MemberCreateSerializer, request.data)
    member_service.invite_member(study.pk, data["username"], data["role"])
    detail = (f"If {data['username']!r} is a user here, they are invited as {data['role']}: they see the invitation "
              "on their studies page and appear among the members once they accept. A member already in has this "
              "role from now on.")
    return Response({"detail": detail}, status=status.HTTP_202_ACCEPTED)


@extend_schema(request=None, responses={204: None},
               summary="Stop sharing the study with a user (owner only), or leave it (a member, with their own name)")
@api_view(["DELETE"])
def member(request, pk, username):
    if username == request.user.get_username():
        member_service.leave_study(study_for(request, pk, "view").pk, request.user)
    else:
        member_service.remove_member(study_for(request, pk, "share").pk, username)
    return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(responses={200: InvitationSerializer(many=True)}, summary="Your invitations not yet accepted")
@api_view(["GET"])
def invitations(request):
    return Response(InvitationSerializer(read.invitations_of(request.user), many=True).data)


@extend_schema(methods=["POST"], request=None, responses={204: None}, summary="Accept an invitation to a study")
@extend_schema(methods=["DELETE"], request=None, responses={204: None}, summary="Decline an invitation to a study")
@api_view(["POST", "DELETE"])
def invitation(request, study_id):
    answer = member_service.accept_invitation if request.method == "POST" else member_service.decline_invitation
    if not answer(study_id, request.user):
        return Response({"detail": "you have no invitation to this study"}, status=status.HTTP_404_NOT_FOUND)
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
    link, token = share_links.create_share_link(study.pk, request.user, data["expires_at"], data["show_files"])
    url = request.build_absolute_uri(reverse("dashboard:share", args=[token]))
    return Response(ShareLinkCreatedSerializer(link, context={"url": url}).data, status=status.HTTP_201_CREATED)


@extend_schema(request=None, responses={204: None}, summary="Revoke a share link (the study's owner only)")
@api_view(["DELETE"])
def link(request, link_id):
    found = get_object_or_404(ShareLink.objects.filter(study__in=access.studies_for(request.user)), pk=link_id)
    access.require(request.user, found.study, "share")
    share_links.revoke_share_link(found.pk)
    return Response(status=status.HTTP_204_NO_CONTENT)
