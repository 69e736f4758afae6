"""Built-in objectives that workers evaluate: scikit-learn models and benchmark functions.

Pure Python on top of numpy, scipy and scikit-learn; the Django side calls in, never the
other way round. Uploaded data is read with the stdlib csv module only, and nothing a
user sent is ever unpickled or evaluated.
"""

from .csvdata import detect_task, load_csv
from .inspection import inspect_csv, inspect_target
from .datasets import BUNDLED_DATASETS, load_bundled
from .errors import CsvError, EvaluationStopped, ObjectiveError
from .evaluate import evaluate
from .functions import default_function_space, function_optimum
from .metrics import metric_direction
from .spaces import default_search_space
from .spec import objective_direction, validate_objective

__all__ = [
    "BUNDLED_DATASETS",
    "CsvError",
    "EvaluationStopped",
    "ObjectiveError",
    "default_function_space",
    "default_search_space",
    "detect_task",
    "evaluate",
    "function_optimum",
    "inspect_csv",
    "inspect_target",
    "load_bundled",
    "load_csv",
    "metric_direction",
    "objective_direction",
    "validate_objective",
]
