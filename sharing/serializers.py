from django.urls import reverse
from rest_framework import serializers

from .models import ModelExport, Note, ShareLink, StudyMember
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


class DetailSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="what went wrong, in words")


class ModelExportSerializer(serializers.ModelSerializer):
    """The best model being prepared, or prepared: its state, and once ready, where to download it."""

    trial = serializers.IntegerField(source="trial.number", help_text="the number of the trial refitted")
    is_best = serializers.BooleanField(help_text="whether that trial is still the study's best")
    requested_by = serializers.SerializerMethodField()
    joblib_url = serializers.SerializerMethodField(help_text="the fitted pipeline (joblib) once ready, else null")
    py_url = serializers.SerializerMethodField(help_text="how to load and rebuild it (Python) once ready, else null")

    class Meta:
        model = ModelExport
        fields = ["id", "state", "trial", "is_best", "error", "requested_by", "created_at", "started_at",
                  "finished_at", "joblib_url", "py_url"]
        read_only_fields = fields

    def get_requested_by(self, export) -> str | None:
        return export.requested_by.get_username() if export.requested_by else None

    def get_joblib_url(self, export) -> str | None:
        return self._url(export, "study-best-model-joblib")

    def get_py_url(self, export) -> str | None:
        return self._url(export, "study-best-model-py")

    def _url(self, export, name):
        if export.state != ModelExport.State.READY:
            return None
        path = reverse(f"sharing-api:{name}", args=[export.study_id])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path
