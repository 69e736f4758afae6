from rest_framework import serializers

from .models import ApiToken


class ApiTokenSerializer(serializers.ModelSerializer):
    prefix = serializers.CharField(read_only=True, help_text="the key's first characters, to tell tokens apart")

    class Meta:
        model = ApiToken
        fields = ["id", "name", "prefix", "created_at", "last_used_at", "expires_at"]
        read_only_fields = fields


class ApiTokenCreatedSerializer(ApiTokenSerializer):
    key = serializers.SerializerMethodField(help_text="the full key: send it as `Authorization: Token <key>`. "
                                                      "Only this answer holds it; it is not stored.")

    class Meta(ApiTokenSerializer.Meta):
        fields = [*ApiTokenSerializer.Meta.fields, "key"]
        read_only_fields = fields

    def get_key(self, token) -> str:
        return self.context["key"]


class ApiTokenCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=ApiToken.NAME_MAX_LENGTH,
                                 help_text="what the token is for, e.g. the machine that uses it; unique among your tokens")
    expires_at = serializers.DateTimeField(required=False, allow_null=True, default=None,
                                           help_text="when the token stops working; null: never")
