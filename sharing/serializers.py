from rest_framework import serializers

from .models import Note, ShareLink, StudyMember
from .rendering import render_markdown


class MemberSerializer(serializers.ModelSerializer):
    username = serializers.CharField(source="user.username")

    class Meta:
        model = StudyMember
        fields = ["username", "role", "created_at"]
        read_only_fields = ["created_at"]


class MemberCreateSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    role = serializers.ChoiceField(choices=StudyMember.Role.choices)


class ShareLinkSerializer(serializers.ModelSerializer):
    created_by = serializers.SerializerMethodField()
    active = serializers.SerializerMethodField()

    class Meta:
        model = ShareLink
        fields = ["id", "created_by", "created_at", "expires_at", "revoked_at", "last_opened_at", "active"]
        read_only_fields = fields

    def get_created_by(self, link) -> str | None:
        return link.created_by.get_username() if link.created_by else None

    def get_active(self, link) -> bool:
        return link.is_live


class ShareLinkCreatedSerializer(ShareLinkSerializer):
    url = serializers.SerializerMethodField()

    class Meta(ShareLinkSerializer.Meta):
        fields = [*ShareLinkSerializer.Meta.fields, "url"]
        read_only_fields = fields

    def get_url(self, link) -> str:
        return self.context["url"]


class ShareLinkCreateSerializer(serializers.Serializer):
    expires_at = serializers.DateTimeField(required=False, allow_null=True, default=None)


class NoteSerializer(serializers.ModelSerializer):
    trial = serializers.IntegerField(source="trial.number", allow_null=True, default=None)
    html = serializers.SerializerMethodField()
    updated_by = serializers.SerializerMethodField()

    class Meta:
        model = Note
        fields = ["trial", "text", "html", "updated_by", "updated_at"]
        read_only_fields = fields

    def get_html(self, note) -> str:
        return str(render_markdown(note.text))

    def get_updated_by(self, note) -> str | None:
        return note.updated_by.get_username() if note.updated_by else None


class NoteWriteSerializer(serializers.Serializer):
    trial = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=0)
    text = serializers.CharField(allow_blank=True, trim_whitespace=False)
