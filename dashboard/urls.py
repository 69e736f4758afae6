from django.urls import include, path

from .views import actions, compare, data, pages, report, study

app_name = "dashboard"

# Every page and JSON endpoint of one study, reached as /studies/<pk>/... (signed in) or as
# /share/<token>/... (a share link): the same views, which show what the visitor may see.
study_patterns = [
    path("live.json", data.live, name="live"),
    path("charts/<slug:name>.json", data.chart, name="chart"),
    path("trials.json", data.table, name="table"),
    path("export.<str:fmt>", data.export, name="export"),
    path("report.html", report.report_download, name="report"),
    path("trials/<int:number>/", study.trial_detail, name="trial"),
]
link_patterns = [
    path("live.json", data.live, name="share-live"),
    path("charts/<slug:name>.json", data.chart, name="share-chart"),
    path("trials.json", data.table, name="share-table"),
    path("report.html", report.report_download, name="share-report"),
    path("trials/<int:number>/", study.trial_detail, name="share-trial"),
]

urlpatterns = [
    path("", pages.study_list, name="studies"),
    path("studies.json", data.studies_live, name="studies-live"),
    path("studies/new/", pages.study_new, name="new"),
    path("studies/new/validate.json", data.validate, name="validate"),
    path("studies/demo/", actions.try_demo, name="demo"),
    path("studies/templates/<slug:slug>/", actions.use_template, name="template"),
    path("datasets/<int:pk>/task.json", data.dataset_task, name="dataset-task"),
    path("compare/", compare.compare, name="compare"),
    path("studies/<int:pk>/", study.study_detail, name="study"),
    path("studies/<int:pk>/", include(study_patterns)),
    path("share/<str:token>/", study.study_detail, name="share"),
    path("share/<str:token>/", include(link_patterns)),
]
