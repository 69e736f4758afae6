from django.contrib import admin

from .models import Dataset, Study, Trial, TrialReport


@admin.register(Study)
class StudyAdmin(admin.ModelAdmin):
    list_display = ("id", "name", "owner", "state", "created_at")
    list_filter = ("state",)
    search_fields = ("name",)


@admin.register(Trial)
class TrialAdmin(admin.ModelAdmin):
    list_display = ("id", "study", "number", "state", "value", "finished_at")
    list_filter = ("state",)
    list_select_related = ("study",)


@admin.register(TrialReport)
class TrialReportAdmin(admin.ModelAdmin):
    list_display = ("trial", "step", "value")


@admin.register(Dataset)
class DatasetAdmin(admin.ModelAdmin):
    list_display = ("id", "name", "owner", "n_rows", "created_at")
