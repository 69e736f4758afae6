from django.urls import include, path
from django.views.generic import RedirectView

from .views import actions, client, compare, data, explain, pages, recheck, report, study, surrogate

app_name = "dashboard"


def _one_study(prefix, members=True):
    """Every page and JSON endpoint of one study, reached as /studies/<pk>/... (signed in) or as
    /share/<token>/... (a share link, names prefixed "share-"): the same views, which show what
    the visitor may see. Exports are for members only."""
    patterns = [
        path("live.json", data.live, name=f"{prefix}live"),
        path("charts/<slug:name>.json", data.chart, name=f"{prefix}chart"),
        path("explain.json", explain.explain, name=f"{prefix}explain"),
        path("recheck.json", recheck.recheck, name=f"{prefix}recheck"),
        path("what-if.json", surrogate.what_if, name=f"{prefix}what-if"),
        path("advice.json", surrogate.advice, name=f"{prefix}advice"),
        path("trials.json", data.table, name=f"{prefix}table"),
        path("report.html", report.report_download, name=f"{prefix}report"),
        path("trials/<int:number>/", study.trial_detail, name=f"{prefix}trial"),
        path("trials/<int:number>/files/<int:artifact_id>/", study.trial_file, name=f"{prefix}trial-file"),
    ]
    if members:
        patterns.append(path("export.<str:fmt>", data.export, name=f"{prefix}export"))
    return patterns


urlpatterns = [
    path("", pages.study_list, name="studies"),
    path("studies/", RedirectView.as_view(pattern_name="dashboard:studies"), name="studies-redirect"),
    path("studies.json", data.studies_live, name="studies-live"),
    path("studies/new/", pages.study_new, name="new"),
    path("studies/new/validate.json", data.validate, name="validate"),
    path("studies/import/", pages.import_optuna, name="import-optuna"),
    path("studies/demo/", actions.try_demo, name="demo"),
    path("studies/templates/<slug:slug>/", actions.use_template, name="template"),
    path("datasets/<int:pk>/task.json", data.dataset_task, name="dataset-task"),
    path("compare/", compare.compare, name="compare"),
    path("client/tuner-client.tar.gz", client.client_archive, name="client-archive"),
    path("studies/<int:pk>/leave/", actions.leave_study, name="leave"),
    path("invitations/<int:pk>/accept/", actions.answer_invitation, {"answer": "accept"}, name="accept-invitation"),
    path("invitations/<int:pk>/decline/", actions.answer_invitation, {"answer": "decline"}, name="decline-invitation"),
    path("studies/<int:pk>/", study.study_detail, name="study"),
    path("studies/<int:pk>/", include(_one_study(""))),
    path("share/<str:token>/", study.study_detail, name="share"),
    path("share/<str:token>/", include(_one_study("share-", members=False))),
]
