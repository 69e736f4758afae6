"""The preprocessing placed in front of every model, so all trials see features the same way."""

from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from .csvdata import NUMBER_KINDS

# Rarer categories beyond this many per column share one column: an id-like column would
# otherwise turn into as many features as there are rows.
MAX_CATEGORIES = 50


def build_pipeline(model, kinds, scaled):
    """Put a model behind imputation, scaling and one-hot encoding.

    Numeric and date columns (dates come as numbers: days since 1970-01-01) get median
    imputation, then standard scaling when ``scaled``.
    Categorical columns are one-hot encoded; a missing value is a category of its own and
    a category unseen in training encodes as all zeros.

    Args:
        model: An unfitted scikit-learn estimator.
        kinds: ``"numeric"``, ``"date"`` or ``"categorical"`` for each column of X, in order.
        scaled: Whether the model needs standardised numeric features.

    Returns:
        An unfitted ``Pipeline`` with steps ``"prepare"`` and ``"model"``.
    """
    kinds = list(kinds)
    numeric = [j for j, kind in enumerate(kinds) if kind in NUMBER_KINDS]
    categorical = [j for j, kind in enumerate(kinds) if kind == "categorical"]
    transformers = []
    if numeric:
        steps = [SimpleImputer(strategy="median")] + ([StandardScaler()] if scaled else [])
        transformers.append(("numeric", make_pipeline(*steps), numeric))
    if categorical:
        encoder = OneHotEncoder(handle_unknown="ignore", max_categories=MAX_CATEGORIES, sparse_output=False)
        transformers.append(("categorical", encoder, categorical))
    prepare = ColumnTransformer(transformers, sparse_threshold=0.0)
    return Pipeline([("prepare", prepare), ("model", model)])
