"""Demo and template studies: a first study in one click, and starting points for common cases.

Template datasets are generated with scikit-learn's `make_classification` and
`make_regression` under business-like column names; nothing is downloaded.
"""

import csv
import io

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

TEMPLATES = {
    "churn": {
        "title": "Churn prediction",
        "describe": "Which customers will leave? A classifier on account and usage data.",
        "task": "classification", "target": "churned", "estimator": "hist_gradient_boosting", "metric": "roc_auc",
        "columns": ["tenure_months", "monthly_charges", "support_calls", "logins_per_week", "discount_pct",
                    "late_payments"],
        "weights": [0.8],
    },
    "fraud": {
        "title": "Fraud detection",
        "describe": "Spot the rare fraudulent transaction: a classifier on an imbalanced set.",
        "task": "classification", "target": "is_fraud", "estimator": "random_forest", "metric": "balanced_accuracy",
        "columns": ["amount", "hour_of_day", "merchant_risk", "distance_from_home_km", "card_age_days",
                    "txn_last_24h", "foreign"],
        "weights": [0.95],
    },
    "maintenance": {
        "title": "Predictive maintenance",
        "describe": "Will a machine fail soon? A classifier on sensor readings.",
        "task": "classification", "target": "fails_within_7d", "estimator": "hist_gradient_boosting", "metric": "f1",
        "columns": ["temperature_c", "vibration_mm_s", "pressure_bar", "rpm", "hours_since_service", "load_pct"],
        "weights": [0.85],
    },
    "demand": {
        "title": "Demand forecasting",
        "describe": "How many units will sell? A regressor on price, season and promotion data.",
        "task": "regression", "target": "units_sold", "estimator": "hist_gradient_boosting", "metric": "rmse",
        "columns": ["price", "promo_depth_pct", "week_of_year", "competitor_price", "stock_level", "ad_spend"],
    },
    "price": {
        "title": "Price regression",
        "describe": "What is a fair price? A regressor on product attributes.",
        "task": "regression", "target": "price", "estimator": "random_forest", "metric": "mae",
        "columns": ["size_m2", "age_years", "rooms", "distance_to_centre_km", "energy_score", "floor"],
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
    n_features = len(template["columns"])
    if template["task"] == "classification":
        X, y = make_classification(
            n_samples=TEMPLATE_ROWS, n_features=n_features, n_informative=max(2, n_features // 2),
            n_redundant=1, weights=template["weights"], flip_y=0.02, random_state=seed,
        )
    else:
        X, y = make_regression(
            n_samples=TEMPLATE_ROWS, n_features=n_features, n_informative=max(2, n_features // 2),
            noise=10.0, random_state=seed,
        )
        y = np.round(y - y.min() + 10.0, 2)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([*template["columns"], template["target"]])
    for row, target in zip(np.round(X, 4), y):
        writer.writerow([*row.tolist(), int(target) if template["task"] == "classification" else float(target)])
    return buffer.getvalue()
