"""The HTML report download, for every visitor of a study (a share link included)."""

from django.http import HttpResponse

from .. import report
from .common import study_view


@study_view(summary=True)
def report_download(request, visitor):
    response = HttpResponse(report.build(visitor), content_type="text/html; charset=utf-8")
    # The report's own policy, not the site's: its scripts are inline (see dashboard/report.py).
    response["Content-Security-Policy"] = f"{report.policy()}; frame-ancestors 'none'"
    response["Content-Disposition"] = f'attachment; filename="study-{visitor.study.pk}-report.html"'
    return response
