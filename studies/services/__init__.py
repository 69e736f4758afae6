"""Every state change of studies, trials and datasets. Views and tasks call only these."""

from .baselines import compute_baseline
from .datasets import inspect_dataset_target, upload_dataset
from .ensembles import evaluate_ensemble
from .errors import Busy, Conflict, InvalidInput, ServiceError, TooLarge, TooMany
from .exclusions import exclude_trial, include_trial
from .limits import check_user_limit
from .model_exports import refit_model
from .reaper import reap_stale_trials
from .reconciler import reconcile
from .running import run_trial
from .specs import validate_study_spec
from .studies import (change_budget, create_study, delete_study, pause_study, resume_study, run_more_trials, start_study,
                      stop_study)
from .trials import (
    MAX_STEP,
    ask_trial,
    claim_trial,
    enqueue_trial,
    heartbeat_trial,
    report_trial,
    tell_and_ask,
    tell_trial,
)

__all__ = [
    "Busy",
    "Conflict",
    "InvalidInput",
    "MAX_STEP",
    "ServiceError",
    "TooLarge",
    "TooMany",
    "ask_trial",
    "check_user_limit",
    "claim_trial",
    "compute_baseline",
    "create_study",
    "delete_study",
    "enqueue_trial",
    "evaluate_ensemble",
    "exclude_trial",
    "heartbeat_trial",
    "include_trial",
    "inspect_dataset_target",
    "pause_study",
    "reap_stale_trials",
    "reconcile",
    "refit_model",
    "report_trial",
    "resume_study",
    "change_budget",
    "run_more_trials",
    "run_trial",
    "start_study",
    "stop_study",
    "tell_and_ask",
    "tell_trial",
    "upload_dataset",
    "validate_study_spec",
]
