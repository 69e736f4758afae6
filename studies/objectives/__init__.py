"""Built-in objectives that workers evaluate: scikit-learn models and benchmark functions.

Pure Python on top of numpy, scipy and scikit-learn; the Django side calls in, never the
other way round. Uploaded data is read with the stdlib csv module only, and nothing a
user sent is ever unpickled or evaluated.
"""

from .automl import AUTO, family_of, is_auto
from .csvdata import detect_task, inspect_csv, load_csv
from .datasets import BUNDLED_DATASETS, load_bundled
from .details import TrialDetails
from .errors import CsvError, EvaluationStopped, ObjectiveError
from .ensemble import ensemble_beats, ensemble_members, evaluate_ensemble, fit_ensemble
from .evaluate import evaluate, evaluate_details, trial_pipeline
from .functions import default_function_space, function_optimum
from .leaderboard import build_leaderboard
from .metrics import metric_direction
from .spaces import auto_search_space, default_search_space, initial_params
from .spec import objective_direction, validate_objective

__all__ = [
    "AUTO",
    "BUNDLED_DATASETS",
    "CsvError",
    "EvaluationStopped",
    "ObjectiveError",
    "TrialDetails",
    "auto_search_space",
    "build_leaderboard",
    "default_function_space",
    "default_search_space",
    "detect_task",
    "ensemble_beats",
    "ensemble_members",
    "evaluate",
    "evaluate_details",
    "evaluate_ensemble",
    "family_of",
    "fit_ensemble",
    "function_optimum",
    "initial_params",
    "inspect_csv",
    "is_auto",
    "load_bundled",
    "load_csv",
    "metric_direction",
    "objective_direction",
    "trial_pipeline",
    "validate_objective",
]
