"""Built-in objectives that workers evaluate: scikit-learn models and benchmark functions.

Pure Python on top of numpy, scipy and scikit-learn; the Django side calls in, never the
other way round. Uploaded data is read with the stdlib csv module only, and nothing a
user sent is ever unpickled or evaluated.
"""

from .baseline import baseline_for, compute_baseline, compute_baselines
from .csvdata import detect_task, load_csv
from .csvsafe import neutralise, neutralise_row
from .datasets import BUNDLED_DATASETS, load_bundled
from .errors import CsvError, EvaluationStopped, ObjectiveError
from .evaluate import evaluate
from .explain import explain_for, explain_model
from .functions import default_function_space, function_optimum
from .inspection import inspect_csv, inspect_target
from .metrics import default_metric, metric_direction
from .predict import MissingColumns, predict_csv
from .spaces import default_search_space
from .spec import objective_direction, validate_objective
from .tables import Table, bundled_feature_names, load_table
from .wording import class_roles, describe_result, format_number

__all__ = [
    "BUNDLED_DATASETS",
    "CsvError",
    "EvaluationStopped",
    "MissingColumns",
    "ObjectiveError",
    "Table",
    "baseline_for",
    "bundled_feature_names",
    "class_roles",
    "compute_baseline",
    "compute_baselines",
    "default_function_space",
    "default_metric",
    "default_search_space",
    "describe_result",
    "detect_task",
    "evaluate",
    "explain_for",
    "explain_model",
    "format_number",
    "function_optimum",
    "inspect_csv",
    "inspect_target",
    "load_bundled",
    "load_csv",
    "load_table",
    "metric_direction",
    "neutralise",
    "neutralise_row",
    "objective_direction",
    "predict_csv",
    "validate_objective",
]
