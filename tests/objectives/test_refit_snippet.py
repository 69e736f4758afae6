"""The Python file that comes with a model runs nothing but what it says, whatever the study and
its target column are called (issue 16, item 1: a name with a line break became code)."""

import subprocess
import sys

import pytest

from studies.objectives import DatasetFile, refit

IRIS = {"kind": "sklearn", "estimator": "logistic_regression", "dataset": "iris", "metric": "accuracy", "cv": 3}
HOSTILE = [
    "churn model\nimport pathlib; pathlib.Path('pwned').write_text('1')\n#",
    "churn\rimport pathlib; pathlib.Path('pwned').write_text('1')",
    "x\u2028import pathlib; pathlib.Path('pwned').write_text('1')",
    "\"\"\"\nimport pathlib; pathlib.Path('pwned').write_text('1')\n\"\"\"",
    "'''; import pathlib; pathlib.Path('pwned').write_text('1'); '''",
    "name \\\nimport pathlib; pathlib.Path('pwned').write_text('1')",
    "evil \u202e}')1'(txet_etirw.)'denwp'(htaP.biltap",
]


@pytest.fixture(scope="module")
def iris_model():
    return refit.refit(IRIS, {"C": 2.0})


@pytest.mark.parametrize("name", HOSTILE, ids=range(len(HOSTILE)))
def test_a_hostile_study_name_stays_a_string_in_the_model_file(iris_model, name, tmp_path):
    model, spec, kinds = iris_model
    text = refit.rebuild_text(spec, model, kinds, study_name=name, study_id=7, trial_number=3, value=0.97,
                              filename="study-7-best-model.joblib")
    (tmp_path / "study-7-best-model.joblib").write_bytes(refit.to_bytes(model))
    (tmp_path / "snippet.py").write_text(text + "print(repr(STUDY))\n", encoding="utf-8")

    done = subprocess.run([sys.executable, "snippet.py"], cwd=tmp_path, capture_output=True, text=True, timeout=120)

    assert done.returncode == 0, done.stderr
    assert not (tmp_path / "pwned").exists()
    assert done.stdout.strip() == repr(name)


def test_a_hostile_target_column_stays_a_string_in_the_model_file(iris_model):
    model, spec, kinds = iris_model
    target = "y\nimport os; os.system('echo pwned')"

    text = refit.rebuild_text({**spec, "dataset": "csv:1", "target": target}, model, kinds, study_name="s",
                              study_id=1, trial_number=0, value=0.9, filename="m.joblib")

    compile(text, "snippet", "exec")
    assert f"TARGET = {target!r}" in text and "\nimport os" not in text


def test_an_auto_studys_trial_refits_its_family_and_its_file_rebuilds_it(tmp_path):
    spec = {**IRIS, "estimator": "auto"}
    params = {"estimator": "random_forest", "random_forest__n_estimators": 20, "random_forest__max_depth": 4}

    model, spec, kinds = refit.refit(spec, params)
    text = refit.rebuild_text(spec, model, kinds, study_name="auto", study_id=1, trial_number=0, value=0.95,
                              filename="m.joblib", params=params)

    assert type(model.named_steps["model"]).__name__ == "RandomForestClassifier"
    assert "RandomForestClassifier(max_depth=4, n_estimators=20" in text and "StandardScaler()," not in text


def test_the_model_file_says_its_date_columns_are_given_as_days_since_1970(tmp_path):
    rows = [f"2024-01-{1 + i % 28:02d},{'ab'[i % 2]},{10 * (1 + i % 28)}" for i in range(56)]
    path = tmp_path / "sales.csv"
    path.write_text("sold_on,shop,price\n" + "\n".join(rows) + "\n")
    spec = {"kind": "sklearn", "estimator": "ridge", "dataset": "csv:1", "target": "price", "metric": "r2", "cv": 3}

    model, spec, kinds = refit.refit(spec, {}, DatasetFile(str(path), frozenset({"sold_on"})))
    text = refit.rebuild_text(spec, model, kinds, study_name="s", study_id=1, trial_number=0, value=0.9,
                              filename="m.joblib")

    assert "DATE_COLUMNS = ['sold_on']" in text
    assert "# The model takes each of these columns as the days since 1970-01-01 (UTC; noon is .5)" in text
    assert 'pd.to_datetime(df[column], utc=True, format="ISO8601")' in text
    assert "# each column of DATE_COLUMNS given as days since 1970-01-01" in text
    assert '("numeric", make_pipeline(SimpleImputer(strategy="median"), StandardScaler()), [0])' in text


@pytest.mark.parametrize("name", HOSTILE, ids=range(len(HOSTILE)))
def test_a_hostile_date_column_name_stays_a_string_in_the_model_file(iris_model, name, tmp_path):
    model, spec, _ = iris_model
    kinds = {name: "date", "b": "numeric", "c": "numeric", "d": "numeric"}
    text = refit.rebuild_text({**spec, "dataset": "csv:1", "target": "y"}, model, kinds, study_name="s", study_id=1,
                              trial_number=0, value=0.9, filename="m.joblib")
    (tmp_path / "m.joblib").write_bytes(refit.to_bytes(model))
    (tmp_path / "snippet.py").write_text(text.replace("X, y = ...", "raise SystemExit(repr(DATE_COLUMNS))"),
                                         encoding="utf-8")

    done = subprocess.run([sys.executable, "snippet.py"], cwd=tmp_path, capture_output=True, text=True, timeout=120)

    assert not (tmp_path / "pwned").exists()
    assert done.stderr.strip() == repr([name])
