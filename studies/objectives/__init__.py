"""Built-in objectives that workers evaluate: scikit-learn models and benchmark functions.

Pure Python on top of numpy, scipy and scikit-learn; the Django side calls in, never the
other way round. Uploaded data is read with the stdlib csv module only, and nothing a
user sent is ever unpickled or evaluated.
"""

from .automl import AUTO, FAMILY_LABELS, family_of, is_auto, param_words
from .baseline import baseline_for, compute_baseline, compute_baselines
from .constraints import describe_constraints, limit_metrics, limit_sentences, limit_words
from .csvdata import detect_task, load_csv
from .csvsafe import neutralise, neutralise_row
from .datasets import BUNDLED_DATASETS, load_bundled
from .details import TrialDetails
from .ensemble import ensemble_beats, ensemble_members, evaluate_ensemble, fit_ensemble
from .errors import CsvError, EvaluationStopped, ObjectiveError
from .evaluate import evaluate, evaluate_details, folds_fault, trial_pipeline
from .explain import explain_for, explain_model
from .functions import default_function_space, function_constraints, function_optimum
from .inspection import inspect_csv, inspect_target
from .leaderboard import build_leaderboard
from .metrics import default_metric, metric_direction, metric_words
from .predict import MissingColumns, predict_csv
from .ranges import value_range
from .spaces import auto_search_space, default_search_space, initial_params
from .spec import objective_direction, validate_objective
from .tables import DatasetFile, Table, bundled_feature_names, load_table
from .param_meanings import MEANINGS_BY_NAME, param_meanings
from .wording import class_roles, describe_guess, describe_result, format_number

__all__ = [
    "AUTO",
    "BUNDLED_DATASETS",
    "FAMILY_LABELS",
    "CsvError",
    "DatasetFile",
    "EvaluationStopped",
    "MissingColumns",
    "ObjectiveError",
    "Table",
    "TrialDetails",
    "auto_search_space",
    "baseline_for",
    "build_leaderboard",
    "bundled_feature_names",
    "class_roles",
    "compute_baseline",
    "compute_baselines",
    "default_function_space",
    "default_metric",
    "default_search_space",
    "describe_constraints",
    "describe_guess",
    "describe_result",
    "detect_task",
    "ensemble_beats",
    "ensemble_members",
    "evaluate",
    "evaluate_details",
    "folds_fault",
    "evaluate_ensemble",
    "explain_for",
    "explain_model",
    "family_of",
    "fit_ensemble",
    "format_number",
    "function_constraints",
    "function_optimum",
    "value_range",
    "initial_params",
    "param_meanings",
    "MEANINGS_BY_NAME",
    "inspect_csv",
    "inspect_target",
    "is_auto",
    "limit_metrics",
    "limit_sentences",
    "limit_words",
    "load_bundled",
    "load_csv",
    "load_table",
    "metric_direction",
    "metric_words",
    "neutralise",
    "neutralise_row",
    "objective_direction",
    "param_words",
    "predict_csv",
    "trial_pipeline",
    "validate_objective",
]
