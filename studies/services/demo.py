"""Demo and template studies: a first study in one click, and starting points for common cases.

Template datasets are generated with scikit-learn's `make_classification` and
`make_regression`, each feature turned into a column that reads like its name (months from 0,
whole counts, prices with cents); nothing is downloaded.
"""

import csv
import io
from typing import NamedTuple

import numpy as np
from django.core.files.uploadedfile import SimpleUploadedFile
from sklearn.datasets import make_classification, make_regression

from .datasets import upload_dataset
from .studies import create_study, start_study

DEMO_SPEC = {
    "name": "Demo: random forest on breast tumours",
    "objective": {"kind": "sklearn", "estimator": "random_forest", "dataset": "breast_cancer",
                  "metric": "accuracy", "cv": 3},
    "search_space": {
        "n_estimators": {"type": "int", "low": 10, "high": 100, "step": 10},
        "max_depth": {"type": "int", "low": 2, "high": 16, "log": True},
        "min_samples_leaf": {"type": "int", "low": 1, "high": 10},
        "max_features": {"type": "categorical", "choices": ["sqrt", "log2"]},
    },
    "budget": {"n_trials": 30, "parallelism": 2},
}

class Column(NamedTuple):
    """How a generated feature reads: its typical value and spread (a factor when `log`), its bounds
    and decimals; with `share`, a 0/1 flag set on that share of the rows."""
    typical: float
    spread: float
    low: float = 0.0
    high: float = float("inf")
    decimals: int = 0
    log: bool = False
    share: float | None = None


TEMPLATES = {
    "churn": {
        "title": "Churn prediction",
        "describe": "Which customers will leave? A classifier on account and usage data.",
        "task": "classification", "target": "churned", "estimator": "hist_gradient_boosting", "metric": "roc_auc",
        "columns": {"tenure_months": Column(24, 15, 0, 72), "monthly_charges": Column(65, 25, 18, 120, 2),
                    "support_calls": Column(2, 1.5, 0, 12), "logins_per_week": Column(8, 4, 0, 40),
                    "discount_pct": Column(10, 8, 0, 50), "late_payments": Column(1, 1.2, 0, 10)},
        "weights": [0.8],
    },
    "fraud": {
        "title": "Fraud detection",
        "describe": "Spot the rare fraudulent transaction: a classifier on an imbalanced set.",
        "task": "classification", "target": "is_fraud", "estimator": "random_forest", "metric": "balanced_accuracy",
        "columns": {"amount": Column(55, 1.0, 1, 20_000, 2, log=True), "hour_of_day": Column(13, 5, 0, 23),
                    "merchant_risk": Column(0.3, 0.15, 0, 1, 2),
                    "distance_from_home_km": Column(12, 1.0, 0.1, 5_000, 1, log=True),
                    "card_age_days": Column(700, 400, 1, 3_650), "txn_last_24h": Column(3, 2, 0, 40),
                    "foreign": Column(0, 1, share=0.1)},
        "weights": [0.95],
    },
    "maintenance": {
        "title": "Predictive maintenance",
        "describe": "Will a machine fail soon? A classifier on sensor readings.",
        "task": "classification", "target": "fails_within_7d", "estimator": "hist_gradient_boosting", "metric": "f1",
        "columns": {"temperature_c": Column(70, 8, 20, 120, 1), "vibration_mm_s": Column(4, 1.5, 0, 20, 2),
                    "pressure_bar": Column(6, 1, 0, 15, 2), "rpm": Column(1_500, 200, 0, 3_000),
                    "hours_since_service": Column(400, 200, 0, 2_000), "load_pct": Column(65, 15, 0, 100)},
        "weights": [0.85],
    },
    "demand": {
        "title": "Demand forecasting",
        "describe": "How many units will sell? A regressor on price, season and promotion data.",
        "task": "regression", "target": "units_sold", "estimator": "hist_gradient_boosting", "metric": "rmse",
        "columns": {"price": Column(20, 6, 1, 100, 2), "promo_depth_pct": Column(10, 8, 0, 60),
                    "week_of_year": Column(26, 13, 1, 52), "competitor_price": Column(20, 6, 1, 100, 2),
                    "stock_level": Column(300, 120, 0, 2_000), "ad_spend": Column(1_000, 500, 0, 10_000)},
        "target_scale": (10, 1, 0),
    },
    "price": {
        "title": "Price regression",
        "describe": "What is a fair price? A regressor on product attributes.",
        "task": "regression", "target": "price", "estimator": "random_forest", "metric": "mae",
        "columns": {"size_m2": Column(80, 30, 15, 400), "age_years": Column(25, 15, 0, 120),
                    "rooms": Column(3, 1.2, 1, 10), "distance_to_centre_km": Column(6, 4, 0.1, 50, 1),
                    "energy_score": Column(60, 15, 0, 100), "floor": Column(3, 3, 0, 30)},
        "target_scale": (50, 1_000, -2),
    },
}
TEMPLATE_ROWS = 600


def create_demo_study(owner):
    """Create and start a small study on a bundled dataset; return it."""
    study = create_study(owner, DEMO_SPEC)
    return start_study(study.pk)


def create_template_dataset(owner, slug, seed=0):
    """Generate and store the demo dataset of template `slug`; return the Dataset.

    Raises KeyError for an unknown template.
    """
    template = TEMPLATES[slug]
    text = _template_csv(template, seed)
    upload = SimpleUploadedFile(f"{slug}_demo.csv", text.encode(), content_type="text/csv")
    return upload_dataset(owner, upload, name=f"{template['title']} (generated demo data)")


def template_prefill(slug, dataset_id):
    """What the create wizard starts from for template `slug` on its stored dataset."""
    template = TEMPLATES[slug]
    return {
        "name": template["title"],
        "objective": {"kind": "sklearn", "estimator": template["estimator"], "dataset": f"csv:{dataset_id}",
                      "target": template["target"], "metric": template["metric"], "cv": 3},
        "budget": {"n_trials": 40, "parallelism": 2},
    }


def _template_csv(template, seed):
    columns = template["columns"]
    if template["task"] == "classification":
        X, y = make_classification(
            n_samples=TEMPLATE_ROWS, n_features=len(columns), n_informative=max(2, len(columns) // 2),
            n_redundant=1, weights=template["weights"], flip_y=0.02, random_state=seed,
        )
        y = y.tolist()
    else:
        X, y = make_regression(
            n_samples=TEMPLATE_ROWS, n_features=len(columns), n_informative=max(2, len(columns) // 2),
            noise=10.0, random_state=seed,
        )
        offset, factor, decimals = template["target_scale"]
        y = _numbers(np.round((y - y.min() + offset) * factor, decimals), decimals)
    readable = [_readable(X[:, i], column) for i, column in enumerate(columns.values())]
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([*columns, template["target"]])
    writer.writerows(zip(*readable, y))
    return buffer.getvalue()


def _readable(x, column):
    """A generated feature as a business column reads (no negative months, whole counts): an
    increasing function of the standardised feature, so what predicts the answer still does."""
    z = (x - x.mean()) / x.std()
    if column.share is not None:
        return (z > np.quantile(z, 1 - column.share)).astype(int).tolist()
    values = column.typical * np.exp(column.spread * z) if column.log else column.typical + column.spread * z
    return _numbers(np.round(np.clip(values, column.low, column.high), column.decimals), column.decimals)


def _numbers(values, decimals):
    """Whole numbers written as 24, not 24.0."""
    return values.astype(int).tolist() if decimals <= 0 else values.tolist()
