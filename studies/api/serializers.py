"""What the API shows of studies, trials, datasets, members, share links, notes and model
exports, and the shapes of its requests."""

import json

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from studies.models import Artifact, Dataset, ModelExport, Note, ShareLink, Study, StudyMember, Trial
from studies.services import MAX_STEP, read
from studies.services.notes import render_markdown
from studies.services.summary import result_summary


class BudgetSerializer(serializers.Serializer):
    n_trials = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    timeout_s = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    parallelism = serializers.IntegerField(required=False, min_value=1)
    target = serializers.FloatField(required=False, allow_null=True,
                                    help_text="stop once the best value reaches this (in the study's direction)")
    patience = serializers.IntegerField(required=False, allow_null=True, min_value=1,
                                        help_text="stop after this many complete trials in a row without improvement")
    min_delta = serializers.FloatField(required=False, allow_null=True, min_value=0,
                                       help_text="the smallest change that counts as an improvement for patience")
    regret_bound = serializers.JSONField(
        required=False, allow_null=True,
        help_text='true or {"min_trials": 20, "check_every": 1}: stop when more trials are unlikely to improve the '
                  "best by more than the evaluation's noise")


class StudyCreateSerializer(serializers.Serializer):
    """The request body of POST /api/studies/ (the service checks every rule and names the field)."""

    name = serializers.CharField()
    direction = serializers.ChoiceField(choices=["minimize", "maximize"], required=False)
    directions = serializers.ListField(child=serializers.ChoiceField(choices=["minimize", "maximize"]), required=False)
    objective_names = serializers.JSONField(
        required=False, help_text='what each objective measures, one name per direction, e.g. ["validation loss"] '
                                  'or ["accuracy", "latency_ms"]; the pages and the report call them so (default: a '
                                  'built-in model\'s metric, else "value" or "objective 1"...)')
    search_space = serializers.JSONField(required=False, help_text="parameter name → spec; see the README")
    sampler = serializers.JSONField(required=False, help_text='{"name": "random", "seed": 0}')
    pruner = serializers.JSONField(required=False, allow_null=True, help_text='{"name": "median"} or null')
    objective = serializers.JSONField(help_text='{"kind": "sklearn"|"function"|"external", ...}')
    budget = BudgetSerializer(required=False)
    grace_period_s = serializers.IntegerField(required=False, min_value=1, help_text="silence before a trial counts as lost")
    retry_failed = serializers.IntegerField(required=False, min_value=0, help_text="retries of a lost trial's params")


class BudgetChangeSerializer(serializers.Serializer):
    """The request body of PATCH /api/studies/{id}/budget/ (the service checks every rule and names the field)."""

    n_trials = serializers.IntegerField(required=False, allow_null=True, min_value=1,
                                        help_text="at least the trials the study has made; null: no count")
    timeout_s = serializers.IntegerField(required=False, allow_null=True, min_value=1,
                                         help_text="more than the seconds it has run; null: no time limit")
    parallelism = serializers.IntegerField(required=False, min_value=1, help_text="trials run at once by workers")


class RunMoreSerializer(serializers.Serializer):
    """The request body of POST /api/studies/{id}/run-more/."""

    more_trials = serializers.IntegerField(min_value=1, help_text="how many more trials to run, e.g. 25")


class RetuneSerializer(serializers.Serializer):
    """The request body of POST /api/studies/{id}/retune/ (the service checks the data and names the field)."""

    dataset = serializers.CharField(help_text="the new data: a CSV you uploaded (POST /api/datasets/), as 'csv:<id>', "
                                              "holding the study's target column")


class NarrowSerializer(serializers.Serializer):
    """The request body of POST /api/studies/{id}/narrow/ (the service checks every rule and names the field)."""

    search_space = serializers.JSONField(
        help_text='parameter name → spec for the parameters to narrow, e.g. {"lr": {"type": "float", "low": 0.001, '
                  '"high": 0.01, "log": true}}; inside the parent\'s space (bounds inwards, fewer choices, the same '
                  "type, log, step and condition); parameters left out stay as in the parent")
    budget = BudgetSerializer(required=False, help_text="the child's budget; fields left out are the parent's. "
                                                        "Inherited trials do not count in it")


class BestTrialSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.IntegerField()
    params = serializers.JSONField()
    value = serializers.FloatField(allow_null=True)
    values = serializers.JSONField(allow_null=True)


class BaselineSerializer(serializers.Serializer):
    value = serializers.FloatField(help_text="the constant guess's mean score over the same CV folds")
    cv_std = serializers.FloatField(allow_null=True, help_text="its standard deviation over the folds")
    strategy = serializers.CharField(help_text="scikit-learn's Dummy strategy: most_frequent, stratified, prior, "
                                               "mean or median")


class StudySerializer(serializers.ModelSerializer):
    budget = serializers.SerializerMethodField()
    n_trials_by_state = serializers.SerializerMethodField()
    best_trial = serializers.SerializerMethodField()
    stop_reason = serializers.SerializerMethodField(
        help_text="why a finished study ended: budget, user (someone pressed Stop), or the stop rule that ended it "
                  "(target, patience, regret_bound); null while it runs")
    direction = serializers.CharField(read_only=True, allow_null=True)
    sampler = serializers.SerializerMethodField()
    baseline = serializers.SerializerMethodField(
        help_text="a guess that ignores every column, scored like the trials; null until a worker has computed it "
                  "and for studies without a built-in model")
    summary = serializers.SerializerMethodField(
        help_text="the result in plain sentences, against the baseline; empty until the baseline is ready")
    parent = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True,
        help_text="the study this one continues in a narrower search space, or null")
    children = serializers.SerializerMethodField(
        help_text="the studies you can see that continue this one in a narrower space")
    n_inherited = serializers.IntegerField(
        read_only=True, help_text="finished trials copied from the parent; the budget does not count them")
    retuned_from = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True,
        help_text="the study this one tunes again on new data (its trial #0 runs that study's best settings), or null")

    class Meta:
        model = Study
        fields = [
            "id", "name", "state", "direction", "directions", "objective_names", "search_space", "sampler", "pruner",
            "objective",
            "budget", "grace_period_s", "retry_failed", "n_trials_by_state", "best_trial", "baseline", "summary",
            "stop_reason", "error", "revision", "created_at", "updated_at", "started_at", "finished_at",
            "parent", "children", "n_inherited", "retuned_from",
        ]
        read_only_fields = fields

    def get_baseline(self, study) -> BaselineSerializer(allow_null=True):
        return read.baseline_of(study)

    def get_summary(self, study) -> list[str]:
        return [sentence.text for sentence in result_summary(study)]

    def get_budget(self, study) -> BudgetSerializer:
        return read.budget_of(study)

    def get_stop_reason(self, study) -> serializers.ChoiceField(choices=Study.StopReason.choices, allow_null=True):
        return study.stop_reason or None

    def get_sampler(self, study) -> dict:
        return {**study.sampler, "seed": study.seed}

    def get_children(self, study) -> list[int]:
        return sorted(child.pk for child in study.children.all())

    def get_n_trials_by_state(self, study) -> dict:
        counts = getattr(study, "state_counts", None)
        return counts if counts is not None else {state: 0 for state in Trial.State.values}

    def get_best_trial(self, study) -> BestTrialSerializer(allow_null=True):
        best = getattr(study, "best", None)
        if best is None:
            return None
        return {"id": best.pk, "number": best.number, "params": best.params, "value": best.value, "values": best.values}


class ArtifactSerializer(serializers.ModelSerializer):
    """A file attached to a trial, and where to download it."""

    url = serializers.SerializerMethodField(help_text="where to download the file")
    size = serializers.IntegerField(help_text="bytes")
    content_type = serializers.CharField(help_text="what the server found in the file's bytes")

    class Meta:
        model = Artifact
        fields = ["id", "name", "size", "content_type", "url", "created_at"]
        read_only_fields = fields

    def get_url(self, artifact) -> str:
        path = reverse("artifact-download", args=[artifact.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class TrialSerializer(serializers.ModelSerializer):
    study = serializers.PrimaryKeyRelatedField(read_only=True)
    # Every role of a study sees its files, and the API serves members only (a share link sees
    # files through the pages, and only when its owner ticked "show files"). Lists prefetch them.
    artifacts = ArtifactSerializer(many=True, read_only=True,
                                   help_text="the files attached to the trial, oldest first (download each at its url)")
    duration_s = serializers.FloatField(read_only=True, allow_null=True)
    excluded = serializers.BooleanField(
        read_only=True, help_text="left out of the study's results by a person: no sampler, pruner, best value, "
                                  "summary or chart counts it")
    excluded_by = serializers.SerializerMethodField(help_text="who excluded it, or null")
    inherited_from = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True,
        help_text="for an inherited trial (origin inherited), the id of the parent study's trial it copies")

    class Meta:
        model = Trial
        fields = [
            "id", "study", "number", "state", "params", "value", "values", "origin", "error", "worker",
            "created_at", "started_at", "finished_at", "heartbeat_at", "duration_s", "revision",
            "excluded", "exclusion_reason", "excluded_by", "excluded_at", "attrs", "metrics", "inherited_from",
            "constraints", "feasible", "artifacts",
        ]
        read_only_fields = fields
        extra_kwargs = {
            "constraints": {"help_text": "the constraint values given at tell or report (feasible when every one "
                                         "is <= 0), or null"},
            "feasible": {"help_text": "whether every constraint holds; null when the trial gave none"},
        }

    def get_excluded_by(self, trial) -> str | None:
        return trial.excluded_by.get_username() if trial.excluded_by_id else None


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


# The service checks attrs and metrics and names each fault (`metrics.<name>`); these fields
# only give them their shape in the schema.
@extend_schema_field({"type": "object", "additionalProperties": True, "maxProperties": 100})
class AttrsField(serializers.JSONField):
    pass


@extend_schema_field({"type": "object", "additionalProperties": {"type": "number"}, "maxProperties": 100})
class MetricsField(serializers.JSONField):
    pass


@extend_schema_field({"type": "array", "items": {"type": "number"}, "minItems": 1, "maxItems": 100})
class ConstraintsField(serializers.JSONField):
    pass


CONSTRAINTS_HELP = ("the trial's constraint values, feasible when every one is <= 0 (Optuna's convention); "
                    "the same number for every trial of a study")
ATTRS_HELP = "any small JSON object (tags, the git commit), merged into the trial's; at most 16 KB and 100 keys"
METRICS_HELP = "named numbers recorded but not optimised (training time, model size), merged into the trial's"


class AskSerializer(serializers.Serializer):
    attrs = AttrsField(required=False, help_text=ATTRS_HELP)


ASK_NEXT_HELP = (
    "true (or the ask's body, e.g. {\"attrs\": {\"commit\": \"3f2a1c9\"}}) to be handed the study's next trial "
    "in the answer, as POST /api/studies/{id}/ask/ would (send the X-Tuner-Worker header as for an ask): one request "
    "per trial instead of two, under one lock. The answer then has next_trial, or null and no_next_trial saying why. "
    "The next trial is keyed by the told one: a tell repeated after a lost reply hands out the same next trial. "
    "false, null or absent: the answer is the told trial alone.")


@extend_schema_field({"oneOf": [
    {"type": "boolean"},
    {"type": "object", "properties": {"attrs": {"type": "object", "additionalProperties": True}},
     "additionalProperties": False},
], "nullable": True})
class AskNextField(serializers.Field):
    """`ask_next`: true, false/null, or the ask's body ({"attrs": {...}}); the view gets None
    (no ask) or the ask's body as a dict."""

    default_error_messages = {
        "invalid": 'ask_next must be true, false or the ask\'s body such as {{"attrs": {{...}}}}, got {got}',
    }

    def __init__(self, **kwargs):
        super().__init__(allow_null=True, required=False, **kwargs)

    def to_internal_value(self, data):
        if isinstance(data, bool):
            return {} if data else None
        if isinstance(data, dict) and set(data) <= {"attrs"}:
            return data
        self.fail("invalid", got=json.dumps(data)[:100])

    def to_representation(self, value):
        return value


class TellSerializer(serializers.Serializer):
    state = serializers.ChoiceField(choices=["complete", "pruned", "failed"], required=False, default="complete")
    value = serializers.FloatField(required=False, allow_null=True)
    values = serializers.ListField(child=serializers.FloatField(), required=False, allow_null=True)
    error = serializers.CharField(required=False, allow_blank=True, default="")
    attrs = AttrsField(required=False, help_text=ATTRS_HELP)
    metrics = MetricsField(required=False, help_text=METRICS_HELP)
    constraints = ConstraintsField(required=False, help_text=CONSTRAINTS_HELP)
    ask_next = AskNextField(help_text=ASK_NEXT_HELP)
    lost = serializers.BooleanField(
        required=False, default=False,
        help_text="with state failed: the code running the trial stopped before it finished, not because of its "
                  "params (Ctrl-C, SIGTERM: a machine reclaimed, a scheduler's time limit); the trial is retried as a "
                  "lost one is, when the study's retry_failed allows")


class NoNextTrialSerializer(serializers.Serializer):
    status = serializers.IntegerField(
        help_text="what a separate ask would have answered: 409 when the study hands out no more trials (budget or "
                  "grid spent, paused, stopped by you or a stop rule), 429 at your cap of running trials (ask again "
                  "once some finish)")
    detail = serializers.CharField(help_text="why, as the ask's error says it")


class ToldSerializer(TrialSerializer):
    """The tell's answer: the told trial, and with ask_next the study's next trial."""

    next_trial = AskedTrialSerializer(read_only=True, allow_null=True, required=False,
                                      help_text="with ask_next: the trial to run next (as an ask answers), already "
                                                "running; or null")
    no_next_trial = NoNextTrialSerializer(read_only=True, allow_null=True, required=False,
                                          help_text="with ask_next, when next_trial is null: why; the tell is recorded")

    class Meta(TrialSerializer.Meta):
        fields = TrialSerializer.Meta.fields + ["next_trial", "no_next_trial"]
        read_only_fields = fields


class ReportSerializer(serializers.Serializer):
    step = serializers.IntegerField(min_value=0, max_value=MAX_STEP)
    value = serializers.FloatField()
    attrs = AttrsField(required=False, help_text=ATTRS_HELP)
    metrics = MetricsField(required=False, help_text=METRICS_HELP)
    constraints = ConstraintsField(required=False, help_text=CONSTRAINTS_HELP)


class ExcludeSerializer(serializers.Serializer):
    # Shape only; the service checks that the reason says something and is not too long.
    reason = serializers.CharField(allow_blank=True, trim_whitespace=False,
                                   help_text="why the trial is left out, up to 500 characters")


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


# ---- members, share links, notes, best model ------------------------------------------


class MemberSerializer(serializers.ModelSerializer):
    username = serializers.CharField(source="user.username")

    class Meta:
        model = StudyMember
        fields = ["username", "role", "created_at"]
        read_only_fields = ["created_at"]


class MemberCreateSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    role = serializers.ChoiceField(choices=StudyMember.Role.choices)


class InvitedSerializer(serializers.Serializer):
    """The answer to an invitation: the same words whether or not the username exists."""

    detail = serializers.CharField()


class InvitationSerializer(serializers.ModelSerializer):
    """An invitation to a study, as the invited user sees it."""

    study = serializers.IntegerField(source="study_id")
    study_name = serializers.CharField(source="study.name")
    owner = serializers.CharField(source="study.owner.username")
    invited_at = serializers.DateTimeField(source="created_at")

    class Meta:
        model = StudyMember
        fields = ["study", "study_name", "owner", "role", "invited_at"]
        read_only_fields = fields


class ShareLinkSerializer(serializers.ModelSerializer):
    created_by = serializers.SerializerMethodField()
    active = serializers.SerializerMethodField()

    class Meta:
        model = ShareLink
        fields = ["id", "created_by", "created_at", "expires_at", "revoked_at", "last_opened_at", "active", "show_files"]
        read_only_fields = fields

    def get_created_by(self, link) -> str | None:
        return link.created_by.get_username() if link.created_by else None

    def get_active(self, link) -> bool:
        return link.is_live


class ShareLinkCreatedSerializer(ShareLinkSerializer):
    url = serializers.SerializerMethodField()

    class Meta(ShareLinkSerializer.Meta):
        fields = [*ShareLinkSerializer.Meta.fields, "url"]
        read_only_fields = fields

    def get_url(self, link) -> str:
        return self.context["url"]


class ShareLinkCreateSerializer(serializers.Serializer):
    expires_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    show_files = serializers.BooleanField(required=False, default=False,
                                          help_text="whether the link shows the files attached to trials")


class NoteSerializer(serializers.ModelSerializer):
    trial = serializers.IntegerField(source="trial.number", allow_null=True, default=None)
    html = serializers.SerializerMethodField()
    updated_by = serializers.SerializerMethodField()

    class Meta:
        model = Note
        fields = ["trial", "text", "html", "updated_by", "updated_at"]
        read_only_fields = fields

    def get_html(self, note) -> str:
        return str(render_markdown(note.text))

    def get_updated_by(self, note) -> str | None:
        return note.updated_by.get_username() if note.updated_by else None


class NoteWriteSerializer(serializers.Serializer):
    trial = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=0)
    text = serializers.CharField(allow_blank=True, trim_whitespace=False)


class DetailSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="what went wrong, in words")


class ModelExportSerializer(serializers.ModelSerializer):
    """The best model being prepared, or prepared: its state, and once ready, where to download it."""

    trial = serializers.IntegerField(source="trial.number", help_text="the number of the trial refitted")
    is_best = serializers.BooleanField(help_text="whether that trial is still the study's best")
    requested_by = serializers.SerializerMethodField()
    joblib_url = serializers.SerializerMethodField(help_text="the fitted pipeline (joblib) once ready, else null")
    py_url = serializers.SerializerMethodField(help_text="how to load and rebuild it (Python) once ready, else null")
    members = serializers.ListField(child=serializers.IntegerField(), allow_null=True, read_only=True,
                                    help_text="the trials averaged when the study's ensemble beat its best trial "
                                              "(best first), else null: one trial's model")

    class Meta:
        model = ModelExport
        fields = ["id", "state", "trial", "is_best", "error", "requested_by", "created_at", "started_at",
                  "finished_at", "joblib_url", "py_url", "members"]
        read_only_fields = fields

    def get_requested_by(self, export) -> str | None:
        return export.requested_by.get_username() if export.requested_by else None

    def get_joblib_url(self, export) -> str | None:
        return self._url(export, "study-best-model-joblib")

    def get_py_url(self, export) -> str | None:
        return self._url(export, "study-best-model-py")

    def _url(self, export, name):
        if export.state != ModelExport.State.READY:
            return None
        path = reverse(name, args=[export.study_id])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path
