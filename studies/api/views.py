"""REST API: each view parses, authorises through the access helpers, calls one service, answers."""

from django.http import Http404
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from studies import access, services
from studies.services import read
from studies.services.narrowing import narrow_study
from studies.services.retuning import retune_study
from studies.models import Trial

from .serializers import (
    AskedTrialSerializer,
    AskSerializer,
    BudgetChangeSerializer,
    DatasetSerializer,
    DatasetUploadSerializer,
    EnqueueSerializer,
    ExcludeSerializer,
    NarrowSerializer,
    ReportSerializer,
    RetuneSerializer,
    RunMoreSerializer,
    ShouldPruneSerializer,
    StudyCreateSerializer,
    StudySerializer,
    TellSerializer,
    ToldSerializer,
    TrialDetailSerializer,
    TrialSerializer,
)
from . import kept_serializers
from .uploads import CappedUploadHandler

ACCEPTED = OpenApiResponse(StudySerializer, description="accepted; the workers act on it")


def _validated(serializer_class, data):
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _trial_json(request, trials):
    """A trial, or a list of trials, as the API shows it (file urls absolute, as the request came)."""
    if not isinstance(trials, list):
        return kept_serializers.trial_json(request, trials)
    return TrialSerializer(trials, many=True, context={"request": request}).data


def _told_json(request, told):
    """The answer of a tell with ask_next (ToldSerializer's shape): the told trial, the next one or null and why."""
    refusal = told.refusal and {"status": told.refusal.status, "detail": told.refusal.message}
    next_trial = told.next_trial and kept_serializers.asked_json(told.next_trial)
    return {**_trial_json(request, told.trial), "next_trial": next_trial, "no_next_trial": refusal}


def _int_param(request, name, default):
    raw = request.query_params.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ValidationError({name: [f"{name} must be a whole number, got {raw!r}"]}) from None
    if value < 0:
        raise ValidationError({name: [f"{name} must be ≥ 0, got {value}"]})
    return value


@extend_schema_view(list=extend_schema(summary="Studies you can see"), retrieve=extend_schema(summary="One study"))
class StudyViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet):
    serializer_class = StudySerializer

    def get_queryset(self):
        studies = access.studies_for(self.request.user).order_by("-created_at")
        # An ask authorises on the owner alone and its service locks and reads the row itself.
        return studies.only("owner") if self.action == "ask" else studies

    def get_object(self):
        # Only the pages that show a study count its trials and find its best; ask, tell and the
        # lifecycle verbs need the row alone, and counting every trial per ask would not scale.
        study = super().get_object()
        return read.attach_summary(self._summarised().get(pk=study.pk)) if self.action == "retrieve" else study

    def _summarised(self):
        visible = self.get_queryset()
        return read.with_state_counts(visible).prefetch_related(read.children_among(visible))

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self._summarised())
        studies = [read.attach_summary(study) for study in page]
        return self.get_paginated_response(self.get_serializer(studies, many=True).data)

    @extend_schema(request=StudyCreateSerializer, responses={201: StudySerializer}, summary="Create a study")
    def create(self, request):
        study = services.create_study(request.user, request.data)
        return Response(self._fresh(study.pk), status=status.HTTP_201_CREATED)

    def perform_destroy(self, instance):
        access.require(self.request.user, instance, "delete")
        services.delete_study(instance.pk)

    def _fresh(self, pk):
        study = read.attach_summary(self._summarised().get(pk=pk))
        return StudySerializer(study).data

    def _lifecycle(self, service, answer=status.HTTP_202_ACCEPTED):
        study = self.get_object()
        access.require(self.request.user, study, "run")
        service(study.pk)
        return Response(self._fresh(study.pk), status=answer)

    @extend_schema(request=None, responses={202: ACCEPTED}, summary="Start: workers begin running trials")
    @action(detail=True, methods=["post"])
    def start(self, request, pk=None):
        return self._lifecycle(services.start_study)

    @extend_schema(request=None, responses={202: ACCEPTED}, summary="Pause: no new trials until resumed")
    @action(detail=True, methods=["post"])
    def pause(self, request, pk=None):
        return self._lifecycle(services.pause_study)

    @extend_schema(request=None, responses={202: ACCEPTED}, summary="Resume a paused study")
    @action(detail=True, methods=["post"])
    def resume(self, request, pk=None):
        return self._lifecycle(services.resume_study)

    @extend_schema(request=None, responses={202: ACCEPTED}, summary="Stop for good; waiting trials are cancelled")
    @action(detail=True, methods=["post"])
    def stop(self, request, pk=None):
        return self._lifecycle(services.stop_study)

    @extend_schema(request=BudgetChangeSerializer, responses={200: StudySerializer, 409: OpenApiResponse(
                       description="the study has finished: run more trials instead")},
                   summary="Change the budget of a study that has not finished (n_trials, timeout_s, parallelism)")
    @action(detail=True, methods=["patch"], url_path="budget")
    def budget(self, request, pk=None):
        return self._lifecycle(lambda study_id: services.change_budget(study_id, request.data), status.HTTP_200_OK)

    @extend_schema(request=RunMoreSerializer, responses={202: ACCEPTED, 409: OpenApiResponse(
                       description="the study is not completed or stopped, its grid is exhausted, or the trial cap "
                                   "leaves too little room")},
                   summary="Run more trials: a completed or stopped study goes on where it left off")
    @action(detail=True, methods=["post"], url_path="run-more")
    def run_more(self, request, pk=None):
        more = RunMoreSerializer(data=request.data)
        more.is_valid(raise_exception=True)
        return self._lifecycle(lambda study_id: services.run_more_trials(study_id, more.validated_data["more_trials"]))

    @extend_schema(request=NarrowSerializer,
                   responses={201: StudySerializer,
                              400: OpenApiResponse(description="each fault by field (`search_space.x.high`: "
                                                               "outside the parent's space); nothing created")},
                   summary="Continue in a narrower space: a child study that inherits the trials inside it")
    @action(detail=True, methods=["post"])
    def narrow(self, request, pk=None):
        study = self.get_object()
        access.require(request.user, study, "narrow")
        unknown = sorted(set(request.data) - {"search_space", "budget"}) if isinstance(request.data, dict) else [""]
        if unknown:
            raise ValidationError({key or "non_field_errors": ["give search_space and optionally budget, nothing else"]
                                   for key in unknown})
        child = narrow_study(request.user, study.pk, request.data.get("search_space"), request.data.get("budget"))
        return Response(self._fresh(child.pk), status=status.HTTP_201_CREATED)

    @extend_schema(request=RetuneSerializer,
                   responses={201: StudySerializer,
                              400: OpenApiResponse(description="`dataset`: not a CSV of yours, no target column, "
                                                               "or the target reads as another task; nothing created"),
                              409: OpenApiResponse(description="not a built-in model on a CSV, or no complete trial")},
                   summary="Tune again on new data: the same study on another CSV, its best settings run first")
    @action(detail=True, methods=["post"])
    def retune(self, request, pk=None):
        study = self.get_object()
        access.require(request.user, study, "narrow")  # the same right: a study of their own made from this one
        retune = _validated(RetuneSerializer, request.data)
        return Response(self._fresh(retune_study(request.user, study.pk, retune["dataset"]).pk),
                        status=status.HTTP_201_CREATED)

    @extend_schema(
        request=AskSerializer,
        responses={201: AskedTrialSerializer},
        parameters=[
            OpenApiParameter("Idempotency-Key", str, OpenApiParameter.HEADER, description="repeat an ask safely"),
            OpenApiParameter("X-Tuner-Worker", str, OpenApiParameter.HEADER, description="host running the trial"),
        ],
        summary="Ask for the next trial (external studies)",
    )
    @action(detail=True, methods=["post"])
    def ask(self, request, pk=None):
        study = self.get_object()
        access.require(request.user, study, "run")
        _validated(AskSerializer, request.data)
        trial = services.ask_trial(
            study.pk,
            worker=request.headers.get("X-Tuner-Worker", ""),
            request_key=request.headers.get("Idempotency-Key", ""), attrs=request.data.get("attrs"),
        )
        return Response(kept_serializers.asked_json(trial), status=status.HTTP_201_CREATED)

    @extend_schema(
        methods=["GET"],
        parameters=[
            OpenApiParameter("state", str, enum=Trial.State.values),
            OpenApiParameter("since", int, description="revision cursor: only trials changed after it"),
        ],
        responses={200: TrialSerializer(many=True)},
        summary="The study's trials, paginated; with ?since=, only what changed (see TrialChanges)",
    )
    @extend_schema(methods=["POST"], request=EnqueueSerializer, responses={201: TrialSerializer}, summary="Enqueue params")
    @action(detail=True, methods=["get", "post"])
    def trials(self, request, pk=None):
        study = self.get_object()
        if request.method == "POST":
            access.require(request.user, study, "run")
            data = _validated(EnqueueSerializer, request.data)
            trial = services.enqueue_trial(study.pk, data["params"], data.get("value"), data.get("values"))
            return Response(_trial_json(request, trial), status=status.HTTP_201_CREATED)
        if "since" in request.query_params:
            return self._changes(request, study)
        return self._listed(request, study)

    def _listed(self, request, study):
        trials = Trial.objects.filter(study=study).select_related("excluded_by").prefetch_related("artifacts")
        trials = trials.order_by("number")
        state = request.query_params.get("state")
        if state is not None:
            if state not in Trial.State.values:
                raise ValidationError({"state": [f"{state!r} is not a trial state; use one of {Trial.State.values}"]})
            trials = trials.filter(state=state)
        page = self.paginate_queryset(trials)
        return self.get_paginated_response(_trial_json(request, page))

    def _changes(self, request, study):
        since = _int_param(request, "since", 0)
        limit = min(_int_param(request, "page_size", 500) or 500, self.paginator.max_page_size)
        rows, cursor, has_more = read.changes(study, since, limit)
        body = {"cursor": cursor, "has_more": has_more, "results": _trial_json(request, rows)}
        return Response(body)


_RUN_ACTIONS = ("report", "tell", "heartbeat")
# What get_object answers for a trial the user cannot see or that does not exist.
NO_TRIAL = "No Trial matches the given query."


class TrialViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = TrialDetailSerializer

    def get_queryset(self):
        trials = access.trials_for(self.request.user)
        if self.action in _RUN_ACTIONS:
            # These authorise on the study's owner and their service locks and reads the rows itself.
            return trials.select_related("study").only("study__owner")
        return trials.select_related("study", "excluded_by")

    @extend_schema(request=ReportSerializer, responses={200: ShouldPruneSerializer}, summary="Report an intermediate value")
    @action(detail=True, methods=["post"])
    def report(self, request, pk=None):
        trial = self.get_object()
        access.require(request.user, trial.study, "run")
        data = _validated(ReportSerializer, request.data)
        should_prune = services.report_trial(
            trial.pk, data["step"], request.data.get("value"), request.data.get("attrs"), request.data.get("metrics"),
            request.data.get("constraints"),
        )
        return Response({"should_prune": should_prune})

    @extend_schema(
        request=TellSerializer, responses={200: ToldSerializer},
        parameters=[OpenApiParameter("X-Tuner-Worker", str, OpenApiParameter.HEADER,
                                     description="with ask_next: host running the next trial")],
        summary="Tell the trial's outcome; with ask_next, be handed the study's next trial in the same request",
    )
    @action(detail=True, methods=["post"])
    def tell(self, request, pk=None):
        # Authorised by the service on the study row its lock reads (_may_run): one look-up fewer per trial.
        data = self._validated_to_run(TellSerializer)
        outcome = {"state": data["state"], "error": data["error"], "lost": data["lost"], "authorise": self._may_run,
                   **{key: request.data.get(key) for key in ("value", "values", "attrs", "metrics", "constraints")}}
        if data.get("ask_next") is None:
            return Response(_trial_json(request, services.tell_trial(self._trial_id(), **outcome)))
        told = services.tell_and_ask(self._trial_id(), **outcome, worker=request.headers.get("X-Tuner-Worker", ""),
                                     next_attrs=data["ask_next"].get("attrs"))
        return Response(_told_json(request, told))

    def _validated_to_run(self, serializer_class):
        # Bad input of someone who may not run the trial is refused as such (404, 403), as
        # get_object and access.require before the validation would.
        try:
            return kept_serializers.validated(serializer_class, self.request.data)
        except ValidationError:
            access.require(self.request.user, self.get_object().study, "run")
            raise

    def _trial_id(self):
        try:
            return int(self.kwargs["pk"])
        except ValueError:
            raise Http404(NO_TRIAL) from None

    def _may_run(self, study):
        try:
            access.require(self.request.user, study, "run")
        except Http404:
            raise Http404(NO_TRIAL) from None  # a trial the user may not see is answered as one that does not exist

    def handle_exception(self, exc):
        # The tell's missing trial comes from its service's lock, not get_object: the same answer.
        if isinstance(exc, Trial.DoesNotExist) and self.action == "tell":
            exc = Http404(NO_TRIAL)
        return super().handle_exception(exc)

    @extend_schema(request=ExcludeSerializer, responses={200: TrialSerializer},
                   summary="Exclude a finished trial from the study's results, with a reason")
    @action(detail=True, methods=["post"])
    def exclude(self, request, pk=None):
        trial = self.get_object()
        access.require(request.user, trial.study, "exclude")
        data = _validated(ExcludeSerializer, request.data)
        return Response(_trial_json(request, services.exclude_trial(trial.pk, data["reason"], request.user)))

    @extend_schema(request=None, responses={200: TrialSerializer}, summary="Count an excluded trial in the results again")
    @action(detail=True, methods=["post"])
    def include(self, request, pk=None):
        trial = self.get_object()
        access.require(request.user, trial.study, "exclude")
        return Response(_trial_json(request, services.include_trial(trial.pk)))

    @extend_schema(request=None, responses={204: None}, summary="Say the code running the trial is alive")
    @action(detail=True, methods=["post"])
    def heartbeat(self, request, pk=None):
        trial = self.get_object()
        access.require(request.user, trial.study, "run")
        services.heartbeat_trial(trial.pk)
        return Response(status=status.HTTP_204_NO_CONTENT)


class DatasetViewSet(mixins.CreateModelMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = DatasetSerializer
    parser_classes = [MultiPartParser, FormParser]

    def get_queryset(self):
        return access.datasets_for(self.request.user).order_by("-created_at")

    def initialize_request(self, request, *args, **kwargs):
        request.upload_handlers.insert(0, CappedUploadHandler(request))
        return super().initialize_request(request, *args, **kwargs)

    @extend_schema(request={"multipart/form-data": DatasetUploadSerializer}, responses={201: DatasetSerializer})
    def create(self, request):
        data = _validated(DatasetUploadSerializer, request.data)
        dataset = services.upload_dataset(request.user, data["file"], data.get("name"))
        return Response(DatasetSerializer(dataset).data, status=status.HTTP_201_CREATED)


