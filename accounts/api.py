"""REST endpoints for the user's own API tokens: list, create (the key is in the answer, once), revoke."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.response import Response

from studies.services import usage

from . import tokens
from .models import ApiToken
from .serializers import ApiTokenCreatedSerializer, ApiTokenCreateSerializer, ApiTokenSerializer


@extend_schema_view(
    list=extend_schema(summary="Your API tokens that are not revoked, newest first"),
    create=extend_schema(request=ApiTokenCreateSerializer, responses={201: ApiTokenCreatedSerializer},
                         summary="Create a named token; the answer holds the only copy of its key"),
    destroy=extend_schema(summary="Revoke one of your tokens: clients sending it are refused from the next "
                                  "request, your other tokens keep working"),
)
class ApiTokenViewSet(mixins.ListModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet):
    serializer_class = ApiTokenSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no user
            return ApiToken.objects.none()
        return tokens.tokens_of(self.request.user)

    def list(self, request, *args, **kwargs):
        page = usage.with_noted(self.paginate_queryset(self.get_queryset()), "last_used_at")
        return self.get_paginated_response(ApiTokenSerializer(page, many=True).data)

    def create(self, request, *args, **kwargs):
        serializer = ApiTokenCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        token, key = tokens.create_token(request.user, **serializer.validated_data)
        return Response(ApiTokenCreatedSerializer(token, context={"key": key}).data, status=status.HTTP_201_CREATED)

    def perform_destroy(self, token):
        tokens.revoke_token(self.request.user, token.pk)
