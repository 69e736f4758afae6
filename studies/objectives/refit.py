"""A trial's model refitted on the whole dataset, and the Python text that loads and rebuilds it.

Workers call this (a refit takes as long as a trial); the service that stores the result
finds the dataset's file and passes its path. Generated code carries no user text except as
Python literals written by `repr()`.
"""

import io
import platform

import joblib
import numpy
import sklearn
from sklearn.base import BaseEstimator
from threadpoolctl import threadpool_limits

from .datasets import BUNDLED_DATASETS
from .automl import trial_estimator
from .ensemble import fit_ensemble
from .estimators import ESTIMATORS
from .csvdata import NUMBER_KINDS
from .evaluate import trial_pipeline
from .pipeline import MAX_CATEGORIES
from .spec import validate_objective
from .tables import load_table


def refit(spec, params, dataset_path=None):
    """Fit a built-in model with the given params on every row of its dataset.

    Args:
        spec: A sklearn objective spec.
        params: The trial's params.
        dataset_path: Path of the uploaded file (or its `tables.DatasetFile`), required for
            ``csv:`` datasets.

    Returns:
        ``(model, spec, kinds)``: the fitted scikit-learn Pipeline, the normalised spec (with
        its task) and each feature column's name -> kind, in X's column order.

    Raises:
        ObjectiveError: A bad spec or params, or a CSV fault.
    """
    spec = validate_objective(spec)
    table = load_table(spec, dataset_path)
    spec = validate_objective(spec, task=table.task)
    model = trial_pipeline(spec, params, list(table.kinds.values()))
    # One thread for BLAS and OpenMP, as a trial fits: on a busy worker, boosting with every
    # thread took 67 s where one thread took 1.3 s (10,000 rows).
    with threadpool_limits(limits=1):
        model.fit(table.X, table.y)
    return model, spec, table.kinds


def refit_ensemble(spec, params_list, dataset_path=None):
    """Fit the ensemble of several trials (`ensemble.fit_ensemble`) on every row of the dataset.

    Args:
        spec: A sklearn objective spec.
        params_list: The members' params, best first.
        dataset_path: Path of the uploaded file (or its `tables.DatasetFile`), required for
            ``csv:`` datasets.

    Returns:
        ``(model, spec, kinds)`` as `refit` returns them; the model is a fitted
        ``VotingClassifier`` (soft voting) or ``VotingRegressor`` of the members' pipelines.

    Raises:
        ObjectiveError: A bad spec or params, a CSV fault, or fewer than two members.
    """
    spec = validate_objective(spec)
    # Read once more for the kinds and the task; fitting reads the file itself, as a trial does.
    table = load_table(spec, dataset_path)
    spec = validate_objective(spec, task=table.task)
    return fit_ensemble(spec, params_list, dataset_path), spec, table.kinds


def to_bytes(model):
    """The fitted model in joblib's format."""
    buffer = io.BytesIO()
    joblib.dump(model, buffer)
    return buffer.getvalue()


def versions():
    """The library versions a joblib file must be loaded with."""
    return {"scikit-learn": sklearn.__version__, "numpy": numpy.__version__, "joblib": joblib.__version__,
            "python": platform.python_version()}


def rebuild_text(spec, model, kinds, *, study_name, study_id, trial_number, value, filename, params=None):
    """Python that loads the saved model and shows how to rebuild and refit it.

    ``kinds`` is what `refit` returns: the model takes a date column as the days since
    1970-01-01, so the text says how to compute them.

    User text (the study name, the target column) appears only inside Python literals, so the
    file runs nothing but what it says whatever the study is called.
    """
    lines = ["# The best model of a Tuner study, refitted on the whole dataset.",
             f"STUDY = {study_name!r}",
             # The metric's name comes from a fixed list (objectives.metrics), never from the user.
             f"STUDY_ID, TRIAL, SCORE = {int(study_id)!r}, {int(trial_number)!r}, {float(value)!r}  # {spec['metric']}",
             "# Made with " + ", ".join(f"{lib} {version}" for lib, version in versions().items()) + ".",
             "# Load it with the same scikit-learn version: joblib files are not portable across versions.",
             "", "import joblib", "", f"model = joblib.load({filename!r})",
             "# model.predict(X) takes rows with the same columns, in the same order, as the training data.",
             *_date_lines(kinds), "", "# To rebuild and refit it yourself:",
             *_rebuild(spec, model, kinds, params or {})]
    return "\n".join(lines) + "\n"


def rebuild_ensemble_text(spec, model, kinds, *, study_name, study_id, members, value, filename):
    """Python that loads a saved ensemble (`refit_ensemble`) and shows how to rebuild and refit it.

    Args:
        spec, kinds: As `refit_ensemble` returns them.
        model: The fitted ensemble.
        study_name, study_id, value, filename: As for `rebuild_text`; ``value`` is the
            ensemble's CV score.
        members: ``(trial number, params)`` of each member, best first, in the ensemble's order.

    Returns:
        The text; user text appears only inside Python literals, as in `rebuild_text`.
    """
    numbers = [int(number) for number, _ in members]
    voting = "VotingClassifier" if spec["task"] == "classification" else "VotingRegressor"
    lines = ["# The best model of a Tuner study: the average of its best trials of different kinds,",
             "# refitted on the whole dataset.",
             f"STUDY = {study_name!r}",
             f"STUDY_ID, TRIALS, SCORE = {int(study_id)!r}, {numbers!r}, {float(value)!r}  # {spec['metric']}",
             "# Made with " + ", ".join(f"{lib} {version}" for lib, version in versions().items()) + ".",
             "# Load it with the same scikit-learn version: joblib files are not portable across versions.",
             "", "import joblib", "", f"model = joblib.load({filename!r})",
             "# model.predict(X) takes rows with the same columns, in the same order, as the training data.",
             *_date_lines(kinds), "", "# To rebuild and refit it yourself:"]
    pipelines = [pipeline for _, pipeline in model.estimators]
    finals = [pipeline.named_steps["model"] for pipeline in pipelines]
    lines += _imports(finals, f"from sklearn.ensemble import {voting}")
    lines += _data_lines(spec, kinds)
    for i, ((_, params), pipeline) in enumerate(zip(members, pipelines)):
        lines += ["", *_pipeline_lines(spec, pipeline, kinds, params, f"member_{i}")]
    names = ", ".join(f"({name!r}, member_{i})" for i, (name, _) in enumerate(model.estimators))
    soft = ', voting="soft"' if voting == "VotingClassifier" else ""
    lines += ["", f"model = {voting}([{names}]{soft})", "model.fit(X, y)"]
    return "\n".join(lines) + "\n"


def _rebuild(spec, model, kinds, params):
    lines = _imports([model.named_steps["model"]]) + _data_lines(spec, kinds)
    return lines + _pipeline_lines(spec, model, kinds, params, "model") + ["model.fit(X, y)"]


def _imports(finals, *extra):
    classes = {cls for final in finals for cls in _classes(final)}
    imports = sorted({f"from {_public_module(cls)} import {cls.__name__}" for cls in classes} | set(extra))
    return ["from sklearn.compose import ColumnTransformer", "from sklearn.impute import SimpleImputer",
            "from sklearn.pipeline import Pipeline, make_pipeline",
            "from sklearn.preprocessing import OneHotEncoder, StandardScaler", *imports, ""]


def _pipeline_lines(spec, model, kinds, params, name):
    """The lines that build one trial's unfitted pipeline as the Python variable `name`."""
    numeric = [j for j, kind in enumerate(kinds.values()) if kind in NUMBER_KINDS]
    categorical = [j for j, kind in enumerate(kinds.values()) if kind == "categorical"]
    with sklearn.config_context(print_changed_only=True):
        final_repr = repr(model.named_steps["model"])
    # An auto study's trial names its family; its preprocessing is that family's.
    family, _ = trial_estimator(spec, params)
    scaler = ", StandardScaler()" if ESTIMATORS[family].scaled else ""
    transformers = []
    if numeric:
        transformers.append(f'    ("numeric", make_pipeline(SimpleImputer(strategy="median"){scaler}), {numeric}),')
    if categorical:
        transformers.append('    ("categorical", OneHotEncoder(handle_unknown="ignore", '
                            f'max_categories={MAX_CATEGORIES}, sparse_output=False), {categorical}),')
    prepare = "prepare" if name == "model" else f"prepare_{name}"
    return [f"{prepare} = ColumnTransformer([", *transformers, "], sparse_threshold=0.0)",
            f'{name} = Pipeline([("prepare", {prepare}), ("model", {final_repr})])']


def _data_lines(spec, kinds):
    if spec["dataset"] in BUNDLED_DATASETS:
        return [f"from sklearn.datasets import load_{spec['dataset']}", "",
                f"X, y = load_{spec['dataset']}(return_X_y=True)"]
    lines = ["# X: the feature columns of your CSV as a 2-D array, in the order they appear in the file;"]
    if _dates(kinds):
        lines.append("# each column of DATE_COLUMNS given as days since 1970-01-01, as above;")
    return lines + [f"TARGET = {spec['target']!r}  # y: this column of your CSV", "X, y = ..."]


def _date_lines(kinds):
    """How to turn a CSV's date columns into the numbers the model takes, when it has any."""
    dates = _dates(kinds)
    if not dates:
        return []
    # Column names are user text: they appear only inside a Python literal, never in a comment.
    return [f"DATE_COLUMNS = {dates!r}",
            "# The model takes each of these columns as the days since 1970-01-01 (UTC; noon is .5), not as text.",
            "# With pandas, for a table df read from your CSV (df = pd.read_csv(...)):",
            "#     for column in DATE_COLUMNS:",
            '#         when = pd.to_datetime(df[column], utc=True, format="ISO8601")  # 2024-03-31, 2024-03-31 09:30',
            '#         # (for dates written 31.03.2024: format="%d.%m.%Y", or "%d.%m.%Y %H:%M" with a time)',
            '#         df[column] = (when - pd.Timestamp("1970-01-01", tz="UTC")) / pd.Timedelta(days=1)']


def _dates(kinds):
    return [name for name, kind in kinds.items() if kind == "date"]


def _classes(estimator):
    found = {type(estimator)}
    for value in estimator.get_params(deep=True).values():
        if isinstance(value, BaseEstimator):
            found.add(type(value))
    return found


def _public_module(cls):
    # sklearn.ensemble._forest -> sklearn.ensemble: classes are exported from their package.
    return cls.__module__.split("._")[0]
