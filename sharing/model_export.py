"""The best model of a built-in study, refitted on the whole dataset, and how to rebuild it."""

import io
import platform

import joblib
import numpy
import sklearn
from sklearn.base import BaseEstimator

from studies import selectors
from studies.models import Dataset
from studies.objectives import BUNDLED_DATASETS, load_bundled, load_csv, validate_objective
from studies.objectives.estimators import ESTIMATORS, make_estimator
from studies.objectives.pipeline import MAX_CATEGORIES, build_pipeline


class NoModel(Exception):
    """The study has no model to export: not a built-in model study, or no complete trial yet."""


NOT_A_MODEL_STUDY = "only studies of a built-in scikit-learn model have a model to download"


def has_model(study):
    """Whether the study tunes a built-in scikit-learn model, so its best trial has a model to export."""
    return study.objective.get("kind") == "sklearn"


def best_trial(study):
    """The trial whose model a download would hold: the study's best complete trial.

    Raises:
        NoModel: with the reason in words (not a built-in model study, or no complete trial yet).
    """
    if not has_model(study):
        raise NoModel(NOT_A_MODEL_STUDY)
    best = selectors.best_trial(study)
    if best is None:
        raise NoModel("the study has no complete trial yet")
    return best


def best_model(study, best=None):
    """Refit a trial's params on the whole dataset: `best`, or the study's best trial when None.

    This fits on every row, so it can take as long as a trial: workers call it, never a request.

    Returns:
        (joblib bytes, text) where the text gives the library versions and a snippet that
        loads and rebuilds the model.

    Raises:
        NoModel: with the reason in words.
    """
    if best is None:
        best = best_trial(study)
    elif not has_model(study):
        raise NoModel(NOT_A_MODEL_STUDY)
    X, y, kinds, task = _load(study.objective)
    spec = validate_objective(study.objective, task=task)
    name = spec["estimator"]
    model = build_pipeline(make_estimator(name, task, best.params, spec["metric"]), kinds, ESTIMATORS[name].scaled)
    model.fit(X, y)
    buffer = io.BytesIO()
    joblib.dump(model, buffer)
    return buffer.getvalue(), _text(study, best, spec, model, kinds)


def _load(objective):
    dataset = objective.get("dataset")
    if dataset in BUNDLED_DATASETS:
        X, y = load_bundled(dataset)
        return X, y, ["numeric"] * X.shape[1], BUNDLED_DATASETS[dataset]["task"]
    row = Dataset.objects.filter(pk=int(str(dataset).removeprefix("csv:"))).first()
    if row is None:
        raise NoModel("the study's dataset was deleted")
    X, y, kinds = load_csv(row.file.path, objective.get("target"), task=objective.get("task"))
    task = objective.get("task") or ("regression" if y.dtype.kind == "f" else "classification")
    return X, y, list(kinds.values()), task


def versions():
    return {"scikit-learn": sklearn.__version__, "numpy": numpy.__version__, "joblib": joblib.__version__,
            "python": platform.python_version()}


def _text(study, best, spec, model, kinds):
    lines = [f'# The best model of study "{study.name}" (#{study.pk}): trial #{best.number}, '
             f'{spec["metric"]} = {best.value:.6g}, refitted on the whole dataset.',
             "# Made with " + ", ".join(f"{lib} {version}" for lib, version in versions().items()) + ".",
             "# Load it with the same scikit-learn version: joblib files are not portable across versions.",
             "", "import joblib", "", f'model = joblib.load("study-{study.pk}-best-model.joblib")',
             "# model.predict(X) takes rows with the same columns, in the same order, as the training data.",
             "", "# To rebuild and refit it yourself:", *_rebuild(spec, model, kinds)]
    return "\n".join(lines) + "\n"


def _rebuild(spec, model, kinds):
    numeric = [j for j, kind in enumerate(kinds) if kind == "numeric"]
    categorical = [j for j, kind in enumerate(kinds) if kind == "categorical"]
    final = model.named_steps["model"]
    with sklearn.config_context(print_changed_only=True):
        final_repr = repr(final)
    imports = sorted({f"from {_public_module(cls)} import {cls.__name__}" for cls in _classes(final)})
    lines = ["from sklearn.compose import ColumnTransformer", "from sklearn.impute import SimpleImputer",
             "from sklearn.pipeline import Pipeline, make_pipeline",
             "from sklearn.preprocessing import OneHotEncoder, StandardScaler", *imports, ""]
    lines += _data_lines(spec)
    scaler = ", StandardScaler()" if ESTIMATORS[spec["estimator"]].scaled else ""
    transformers = []
    if numeric:
        transformers.append(f'    ("numeric", make_pipeline(SimpleImputer(strategy="median"){scaler}), {numeric}),')
    if categorical:
        transformers.append('    ("categorical", OneHotEncoder(handle_unknown="ignore", '
                            f'max_categories={MAX_CATEGORIES}, sparse_output=False), {categorical}),')
    lines += ["prepare = ColumnTransformer([", *transformers, "], sparse_threshold=0.0)",
              f'model = Pipeline([("prepare", prepare), ("model", {final_repr})])', "model.fit(X, y)"]
    return lines


def _data_lines(spec):
    if spec["dataset"] in BUNDLED_DATASETS:
        return [f"from sklearn.datasets import load_{spec['dataset']}", "",
                f"X, y = load_{spec['dataset']}(return_X_y=True)"]
    return ["# X: the feature columns of your CSV as a 2-D array, in the order they appear in the file;",
            f"# y: its {spec['target']!r} column.", "X, y = ..."]


def _classes(estimator):
    found = {type(estimator)}
    for value in estimator.get_params(deep=True).values():
        if isinstance(value, BaseEstimator):
            found.add(type(value))
    return found


def _public_module(cls):
    # sklearn.ensemble._forest -> sklearn.ensemble: classes are exported from their package.
    return cls.__module__.split("._")[0]
