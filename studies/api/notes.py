"""Notes in Markdown on a study or one of its trials."""

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import api_view
from rest_framework.response import Response

from studies.services import notes as note_service
from studies.services import read

from .common import study_for, validated
from .serializers import NoteSerializer, NoteWriteSerializer


@extend_schema(methods=["GET"], responses={200: NoteSerializer(many=True)}, summary="The study's notes")
@extend_schema(methods=["PUT"], request=NoteWriteSerializer, responses={200: NoteSerializer},
               summary="Write the study's note, or a trial's with `trial`; empty text deletes it")
@api_view(["GET", "PUT"])
def notes(request, pk):
    if request.method == "GET":
        return Response(NoteSerializer(read.notes_of(study_for(request, pk, "view")), many=True).data)
    study = study_for(request, pk, "edit_notes")
    data = validated(NoteWriteSerializer, request.data)
    note = note_service.save_note(study.pk, data["trial"], data["text"], request.user)
    if note is None:
        return Response(status=status.HTTP_204_NO_CONTENT)
    return Response(NoteSerializer(note).data)
