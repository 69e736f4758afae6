"""Trials from outside: a study imported from an Optuna file, a study exported as one, a warm start in bulk."""

import io

from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import api_view, content_negotiation_class, renderer_classes
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from studies import access
from studies.models import Study
from studies.services import imports, optuna_io, read

from .best_model import _AnyAccept
from .common import study_for, validated
from .parsers import StrictJSONParser
from .serializers import DetailSerializer, StudySerializer
from .uploads import CappedUploadHandler


def _answer(description):
    return OpenApiResponse(DetailSerializer, description=description)


def _faults(description):
    return OpenApiResponse(OpenApiTypes.OBJECT, description=description + ' (field → messages, e.g. {"file": [...]})')


NO_OPTUNA = _answer("Optuna is not installed on the server: pip install -r requirements-optuna.txt")


class OptunaUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="an Optuna SQLite file (.db) or journal file (.log)")
    study = serializers.CharField(required=False, allow_blank=True,
                                  help_text="the name of the Optuna study to import; needed when the file holds several")


class ImportedStudySerializer(StudySerializer):
    note = serializers.CharField(read_only=True, help_text="what was left out (running and waiting trials, "
                                                           "intermediate values that are not numbers), in words; "
                                                           "empty when nothing was")

    class Meta(StudySerializer.Meta):
        fields = StudySerializer.Meta.fields + ["note"]
        read_only_fields = fields


class _CappedUploads:
    def initialize_request(self, request, *args, **kwargs):
        request.upload_handlers.insert(0, CappedUploadHandler(request))
        return super().initialize_request(request, *args, **kwargs)


class OptunaImport(_CappedUploads, APIView):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(request={"multipart/form-data": OptunaUploadSerializer},
                   responses={201: ImportedStudySerializer,
                              400: _faults("not an Optuna file, no such study in it, or what cannot be mapped, named "
                                           "on `file` or `study`; nothing stored"),
                              413: _answer("the file is over the upload limit"), 501: NO_OPTUNA},
                   summary="Import a study from an Optuna SQLite or journal file: a completed external study with "
                           "every finished trial, marked imported")
    def post(self, request):
        data = validated(OptunaUploadSerializer, request.data)
        study, note = optuna_io.import_optuna_file(request.user, data["file"], data.get("study") or None)
        summarised = read.attach_summary(read.with_state_counts(Study.objects.filter(pk=study.pk)).get())
        summarised.note = note
        return Response(ImportedStudySerializer(summarised).data, status=status.HTTP_201_CREATED)


@extend_schema(operation_id="studies_export_optuna", responses={(200, "application/octet-stream"): OpenApiTypes.BINARY,
                                                                 501: NO_OPTUNA},
               summary="Download the study as an Optuna journal file: optuna.load_study opens it with "
                       "JournalStorage(JournalFileBackend(path)) and finds every finished trial")
@api_view(["GET"])
@renderer_classes([JSONRenderer])
@content_negotiation_class(_AnyAccept)
def export_optuna(request, pk):
    study = study_for(request, pk, "export")
    body = optuna_io.export_optuna(study.pk)
    return FileResponse(io.BytesIO(body), as_attachment=True, filename=f"study-{study.pk}.optuna.log",
                        content_type="application/octet-stream")


class TrialImportSerializer(serializers.Serializer):
    """One of: `trials` (JSON), `file` (a CSV, multipart) or `from_study`."""

    trials = serializers.ListField(child=serializers.JSONField(), required=False, max_length=10_000,
                                   help_text='[{"params": {"lr": 0.01}, "value": 0.3, "state": "complete", '
                                             '"attrs": {"commit": "3f2a1c9"}}, ...]: state is complete (default), '
                                             'pruned or failed; "values" for several objectives; attrs optional')
    file = serializers.FileField(required=False, help_text="a CSV: one column per parameter and a `value` column "
                                                           "(value_0, value_1, ... for several objectives); optional "
                                                           "`state`; an empty cell leaves a parameter out")
    from_study = serializers.IntegerField(required=False, help_text="a study you can see: its finished trials that "
                                                                     "fit this study's search space")

    def validate(self, attrs):
        given = [key for key in ("trials", "file", "from_study") if key in attrs]
        if len(given) != 1:
            raise ValidationError({"non_field_errors": ["give one of trials, file or from_study"]})
        return attrs


class ImportedSerializer(serializers.Serializer):
    imported = serializers.IntegerField(help_text="how many trials were added, marked imported")
    left_out = serializers.IntegerField(help_text="rows of a file left out: trials excluded by a person, or not "
                                                  "finished (running, waiting, stopped), as Tuner's export holds them")


class TrialImport(_CappedUploads, APIView):
    parser_classes = [StrictJSONParser, MultiPartParser, FormParser]

    @extend_schema(request={"application/json": TrialImportSerializer, "multipart/form-data": TrialImportSerializer},
                   responses={201: ImportedSerializer,
                              400: _faults("each bad trial named (`trials[3].params.lr`, or `file`: 'row 4: value: "
                                           "...'); nothing stored"),
                              409: _answer("the budget or the trial cap leaves no room for them all"),
                              413: _answer("the file is over the upload limit")},
                   summary="Warm start: add finished trials to the study's history (JSON, a CSV, or another study's)")
    def post(self, request, pk):
        study = study_for(request, pk, "run")
        data = validated(TrialImportSerializer, request.data)
        if "from_study" in data:
            n, left_out = imports.import_from_study(study.pk, _readable(request, data["from_study"]).pk), 0
        elif "file" in data:
            n, left_out = imports.import_csv_trials(study, data["file"])
        else:
            n, left_out = imports.import_json_trials(study.pk, request.data["trials"])
        return Response({"imported": n, "left_out": left_out}, status=status.HTTP_201_CREATED)


def _readable(request, study_id):
    source = access.studies_for(request.user).filter(pk=study_id).first()
    if source is None:
        raise ValidationError({"from_study": [f"study {study_id} does not exist or you cannot see it"]})
    return source

