"""What the API shows of studies, trials and datasets, and the shapes of its requests."""

from rest_framework import serializers

from studies.models import Dataset, Study, Trial
from studies.services import MAX_STEP


class BudgetSerializer(serializers.Serializer):
    n_trials = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    timeout_s = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    parallelism = serializers.IntegerField(required=False, min_value=1)


class StudyCreateSerializer(serializers.Serializer):
    """The request body of POST /api/studies/ (the service checks every rule and names the field)."""

    name = serializers.CharField()
    direction = serializers.ChoiceField(choices=["minimize", "maximize"], required=False)
    directions = serializers.ListField(child=serializers.ChoiceField(choices=["minimize", "maximize"]), required=False)
    search_space = serializers.JSONField(required=False, help_text="parameter name → spec; see the README")
    sampler = serializers.JSONField(required=False, help_text='{"name": "random", "seed": 0}')
    pruner = serializers.JSONField(required=False, allow_null=True, help_text='{"name": "median"} or null')
    objective = serializers.JSONField(help_text='{"kind": "sklearn"|"function"|"external", ...}')
    budget = BudgetSerializer(required=False)
    grace_period_s = serializers.IntegerField(required=False, min_value=1, help_text="silence before a trial counts as lost")
    retry_failed = serializers.IntegerField(required=False, min_value=0, help_text="retries of a lost trial's params")


class BestTrialSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.IntegerField()
    params = serializers.JSONField()
    value = serializers.FloatField(allow_null=True)
    values = serializers.JSONField(allow_null=True)


class StudySerializer(serializers.ModelSerializer):
    budget = serializers.SerializerMethodField()
    n_trials_by_state = serializers.SerializerMethodField()
    best_trial = serializers.SerializerMethodField()
    direction = serializers.CharField(read_only=True, allow_null=True)
    sampler = serializers.SerializerMethodField()

    class Meta:
        model = Study
        fields = [
            "id", "name", "state", "direction", "directions", "search_space", "sampler", "pruner", "objective",
            "budget", "grace_period_s", "retry_failed", "n_trials_by_state", "best_trial", "error", "revision",
            "created_at", "updated_at", "started_at", "finished_at",
        ]
        read_only_fields = fields

    def get_budget(self, study) -> dict:
        return {"n_trials": study.n_trials, "timeout_s": study.timeout_s, "parallelism": study.parallelism}

    def get_sampler(self, study) -> dict:
        return {**study.sampler, "seed": study.seed}

    def get_n_trials_by_state(self, study) -> dict:
        counts = getattr(study, "state_counts", None)
        return counts if counts is not None else {state: 0 for state in Trial.State.values}

    def get_best_trial(self, study) -> BestTrialSerializer(allow_null=True):
        best = getattr(study, "best", None)
        if best is None:
            return None
        return {"id": best.pk, "number": best.number, "params": best.params, "value": best.value, "values": best.values}


class TrialSerializer(serializers.ModelSerializer):
    study = serializers.PrimaryKeyRelatedField(read_only=True)
    duration_s = serializers.FloatField(read_only=True, allow_null=True)

    class Meta:
        model = Trial
        fields = [
            "id", "study", "number", "state", "params", "value", "values", "origin", "error", "worker",
            "created_at", "started_at", "finished_at", "heartbeat_at", "duration_s", "revision",
        ]
        read_only_fields = fields


class TrialDetailSerializer(TrialSerializer):
    intermediate = serializers.SerializerMethodField()

    class Meta(TrialSerializer.Meta):
        fields = TrialSerializer.Meta.fields + ["intermediate"]
        read_only_fields = fields

    def get_intermediate(self, trial) -> list:
        return [{"step": step, "value": value} for step, value in trial.reports.values_list("step", "value")]


class AskedTrialSerializer(serializers.ModelSerializer):
    class Meta:
        model = Trial
        fields = ["id", "number", "params"]
        read_only_fields = fields


class EnqueueSerializer(serializers.Serializer):
    params = serializers.JSONField()
    value = serializers.FloatField(required=False, allow_null=True, help_text="give a result to record it at once")
    values = serializers.ListField(child=serializers.FloatField(), required=False, allow_null=True)


class TellSerializer(serializers.Serializer):
    state = serializers.ChoiceField(choices=["complete", "pruned", "failed"], required=False, default="complete")
    value = serializers.FloatField(required=False, allow_null=True)
    values = serializers.ListField(child=serializers.FloatField(), required=False, allow_null=True)
    error = serializers.CharField(required=False, allow_blank=True, default="")


class ReportSerializer(serializers.Serializer):
    step = serializers.IntegerField(min_value=0, max_value=MAX_STEP)
    value = serializers.FloatField()


class ShouldPruneSerializer(serializers.Serializer):
    should_prune = serializers.BooleanField()


class TrialChangesSerializer(serializers.Serializer):
    cursor = serializers.IntegerField()
    has_more = serializers.BooleanField()
    results = TrialSerializer(many=True)


class DatasetSerializer(serializers.ModelSerializer):
    reference = serializers.SerializerMethodField()

    class Meta:
        model = Dataset
        fields = ["id", "name", "reference", "n_rows", "columns", "preview", "suggested_target", "created_at"]
        read_only_fields = fields

    def get_reference(self, dataset) -> str:
        return f"csv:{dataset.pk}"


class DatasetUploadSerializer(serializers.Serializer):
    file = serializers.FileField()
    name = serializers.CharField(required=False)
