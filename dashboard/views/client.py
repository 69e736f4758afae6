"""The client's source archive, for `pip install <server>/client/tuner-client.tar.gz`."""

from django.http import HttpResponse
from django.views.decorators.http import require_GET

from .. import client_package


@require_GET
def client_archive(request):
    # No sign-in: pip sends no token, and the archive holds the open client code and nothing of anyone's.
    response = HttpResponse(client_package.archive(), content_type="application/gzip")
    response["Content-Disposition"] = f'attachment; filename="{client_package.FILENAME}"'
    return response
