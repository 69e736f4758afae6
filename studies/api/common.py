"""What the function-based API views share: the study a user may act on, validated bodies."""

from django.shortcuts import get_object_or_404

from studies import access


def study_for(request, pk, action):
    """The study if the user's role allows `action`: 404 without access, 403 for too small a role."""
    study = get_object_or_404(access.studies_for(request.user), pk=pk)
    access.require(request.user, study, action)
    return study


def validated(serializer_class, data):
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data
