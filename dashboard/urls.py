from django.urls import path

from .views import actions, data, pages

app_name = "dashboard"
urlpatterns = [
    path("", pages.study_list, name="studies"),
    path("studies.json", data.studies_live, name="studies-live"),
    path("studies/new/", pages.study_new, name="new"),
    path("studies/new/validate.json", data.validate, name="validate"),
    path("studies/demo/", actions.try_demo, name="demo"),
    path("studies/templates/<slug:slug>/", actions.use_template, name="template"),
    path("datasets/<int:pk>/task.json", data.dataset_task, name="dataset-task"),
    path("studies/<int:pk>/", pages.study_detail, name="study"),
    path("studies/<int:pk>/live.json", data.live, name="live"),
    path("studies/<int:pk>/charts/<slug:name>.json", data.chart, name="chart"),
    path("studies/<int:pk>/trials.json", data.table, name="table"),
    path("studies/<int:pk>/export.<str:fmt>", data.export, name="export"),
    path("studies/<int:pk>/trials/<int:number>/", pages.trial_detail, name="trial"),
]
