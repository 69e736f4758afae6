"""`TunerSearchCV`: scikit-learn's search API, with Tuner choosing the params.

A drop-in for ``GridSearchCV`` and ``RandomizedSearchCV``: it cross-validates on your machine,
asks a Tuner server for each trial's params, tells it each trial's mean test score, and the
study page shows the search live. Needs the ``sklearn`` extra::

    pip install "tuner-client[sklearn]"      # from a checkout: pip install "./client[sklearn]"

Example:
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.svm import SVC
    >>> from tuner_client.sklearn import TunerSearchCV
    >>> X, y = load_iris(return_X_y=True)
    >>> search = TunerSearchCV(                                                 # doctest: +SKIP
    ...     SVC(), {"C": {"type": "float", "low": 1e-3, "high": 1e3, "log": True}},
    ...     n_trials=20, n_jobs=2, url="http://127.0.0.1:8000", token="...",
    ... ).fit(X, y)
    >>> search.best_params_, search.best_score_                                 # doctest: +SKIP
"""

from __future__ import annotations

try:
    import numpy as np
    from scipy.stats import rankdata
    from sklearn.base import BaseEstimator, MetaEstimatorMixin, clone, is_classifier
    from sklearn.model_selection import check_cv, cross_validate
    from sklearn.metrics import check_scoring
    from sklearn.utils import get_tags
    from sklearn.utils.metaestimators import available_if
    from sklearn.utils.validation import check_is_fitted, check_random_state, indexable
    from threadpoolctl import threadpool_limits  # a dependency of scikit-learn
except ImportError as exc:  # pragma: no cover - exercised in a subprocess by the tests
    raise ImportError(
        f'tuner_client.sklearn needs scikit-learn ({exc}); install it with: pip install "tuner-client[sklearn]"'
    ) from exc

import copy
import logging
import numbers
import os
import threading
import time
import traceback
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Callable, Dict, List, Optional

from .errors import Conflict
from .study import MAX_ERROR_CHARS, Study, Trial

__all__ = ["TunerSearchCV"]

log = logging.getLogger("tuner_client")


def _best_has(name: str) -> Callable[[Any], bool]:
    # For available_if: the method exists when the best estimator (or, before fit, the
    # estimator) has it, so hasattr(search, "predict_proba") tells the truth.
    def check(search: "TunerSearchCV") -> bool:
        if hasattr(search, "best_estimator_"):
            return hasattr(search.best_estimator_, name)
        return hasattr(search.estimator, name)

    return check


class TunerSearchCV(MetaEstimatorMixin, BaseEstimator):
    """Search an estimator's hyperparameters with a Tuner study, scikit-learn style.

    Each trial asks the server for params, cross-validates ``clone(estimator)`` with them on
    your machine (the same folds for every trial) and tells the server the mean test score.
    Tuner maximizes that score, as scikit-learn's searches do: scorers are greater-is-better,
    so ``"neg_log_loss"`` is maximized too. The results follow ``GridSearchCV``'s conventions.

    Args:
        estimator: The scikit-learn estimator (or pipeline) to tune.
        search_space: Tuner's search space: parameter name → spec, the same JSON as the API,
            e.g. ``{"C": {"type": "float", "low": 0.001, "high": 1000, "log": True},
            "kernel": {"type": "categorical", "choices": ["rbf", "linear"]}}``. Names are the
            estimator's parameters (``get_params(deep=True)``, so ``"svc__C"`` in a pipeline).
            Required unless ``study`` names an existing study, whose space is then used.
        n_trials: How many trials this fit runs (fewer when the study's budget runs out).
        scoring: One scorer: a name such as ``"accuracy"`` or ``"neg_mean_squared_error"``, a
            callable ``scorer(estimator, X, y)``, or None for the estimator's ``score``.
        cv: Folds: an int, a splitter or an iterable of splits, as in `check_cv`; None is 5
            (stratified for classifiers).
        refit: Refit the best params on the whole data as ``best_estimator_``. A callable
            takes ``cv_results_`` and returns the index of the trial to refit.
        n_jobs: Trials run at once, each in its own thread (asking and telling on its own);
            None is 1, -1 is one per CPU.
        random_state: Seeds the study's sampler when the fit creates the study (an int, a
            `numpy.random.RandomState` or None for a seed chosen by the server).
        error_score: ``"raise"`` lets a failing fit's exception through (its trial is told
            failed first); a number (default NaN) becomes every fold score of a trial whose
            fit fails, and the trial is told failed with the traceback while the search goes on.
        return_train_score: Also score the training folds (``mean_train_score`` ...).
        study: An existing study to continue: its id or a `tuner_client.Study`. Its
            objective must be ``external`` and its direction ``maximize``. None creates a study.
        url: The server's base URL; default ``$TUNER_URL``.
        token: Your API token; default ``$TUNER_TOKEN``.
        study_name: The name of a study this fit creates; default ``"<Estimator> search"``.
        sampler: The sampler of a study this fit creates: a name (``"auto"``, ``"tpe"``,
            ``"random"``, ...) or a settings dict such as ``{"name": "tpe"}``.
        verbose: Above 0, print a line per trial as it is told.

    Attributes:
        cv_results_: A dict of arrays, one entry per trial this fit ran, in trial-number
            order: ``params``, ``param_<name>`` (masked where a conditional parameter is
            absent), ``split<i>_test_score``, ``mean_test_score``, ``std_test_score``,
            ``rank_test_score``, ``mean_fit_time``, ``std_fit_time``, ``mean_score_time``,
            ``std_score_time``, the ``*_train_score`` entries when asked for, and
            ``trial_number`` (the trial's number in the study).
        best_index_: The index in ``cv_results_`` of the best trial that completed (the
            first one on ties, as on the server).
        best_score_: Its mean test score (not set when ``refit`` is a callable).
        best_params_: Its params.
        best_estimator_: The estimator refitted with them on all the data (when ``refit``).
        refit_time_: Seconds the refit took.
        scorer_: The scorer used.
        n_splits_: The number of CV folds.
        multimetric_: Always False: one score is tuned.
        study_id_: The id of the study on the server.
        stopped_because_: The server's reason when it handed out fewer trials than
            ``n_trials`` (budget spent, study stopped), else None.

    Raises:
        ValueError: From `fit`, for settings that cannot work (before anything is sent),
            and when no trial completed.
        tuner_client.BadRequest: From `fit`, when the server refuses the study (the message
            names the field, e.g. ``search_space.C: ...``).

    Example:
        >>> search = TunerSearchCV(LogisticRegression(max_iter=500),              # doctest: +SKIP
        ...                        {"C": {"type": "float", "low": 0.01, "high": 100, "log": True}},
        ...                        n_trials=8, n_jobs=2, scoring="balanced_accuracy").fit(X, y)
        >>> search.best_estimator_.predict(X[:3])                                # doctest: +SKIP
    """

    def __init__(
        self,
        estimator: Any,
        search_space: Optional[Dict[str, Any]] = None,
        *,
        n_trials: int = 10,
        scoring: Any = None,
        cv: Any = None,
        refit: Any = True,
        n_jobs: Optional[int] = None,
        random_state: Any = None,
        error_score: Any = np.nan,
        return_train_score: bool = False,
        study: Any = None,
        url: Optional[str] = None,
        token: Optional[str] = None,
        study_name: Optional[str] = None,
        sampler: Any = "auto",
        verbose: int = 0,
    ) -> None:
        self.estimator = estimator
        self.search_space = search_space
        self.n_trials = n_trials
        self.scoring = scoring
        self.cv = cv
        self.refit = refit
        self.n_jobs = n_jobs
        self.random_state = random_state
        self.error_score = error_score
        self.return_train_score = return_train_score
        self.study = study
        self.url = url
        self.token = token
        self.study_name = study_name
        self.sampler = sampler
        self.verbose = verbose

    def fit(self, X: Any, y: Any = None, *, groups: Any = None, **params: Any) -> "TunerSearchCV":
        """Run ``n_trials`` trials of the study, then refit the best params.

        Args:
            X: Training data, shape (n_samples, n_features).
            y: Targets, or None for unsupervised estimators.
            groups: Group labels for group-aware splitters such as ``GroupKFold``.
            **params: Passed to the estimator's ``fit`` (and routed as `cross_validate` does).

        Returns:
            self, fitted.

        Raises:
            ValueError: For settings that cannot work (checked before anything is sent to
                the server), for a study that minimizes or is not external, and when no
                trial completed.
            tuner_client.TunerError: When the server refuses the study or cannot be reached.
            Exception: A failing fit's own exception when ``error_score="raise"``.
        """
        scorer = self._check_settings()
        X, y, groups = indexable(X, y, groups)
        cv = check_cv(self.cv, y, classifier=is_classifier(self.estimator))
        splits = list(cv.split(X, y, groups))  # every trial scores on the same folds
        study = self._open_study()
        evaluate = _Evaluation(self.estimator, X, y, groups, params, splits, scorer, self.error_score,
                               self.return_train_score)
        runner = _Runner(study, evaluate, self.n_trials, self.verbose)
        outcomes = runner.run(_n_threads(self.n_jobs))

        self.study_id_ = study.id
        self.stopped_because_ = runner.stopped_because
        self.scorer_ = scorer
        self.n_splits_ = len(splits)
        self.multimetric_ = False
        self.cv_results_ = _cv_results(outcomes, len(splits), self.return_train_score)
        self._choose_best(outcomes, runner.stopped_because)
        if self.refit:
            self._refit(X, y, params)
        return self

    # ---- settings and the study ----------------------------------------------------------

    def _check_settings(self) -> Callable:
        if isinstance(self.n_trials, bool) or not isinstance(self.n_trials, numbers.Integral) or self.n_trials < 1:
            raise ValueError(f"n_trials must be a whole number ≥ 1, got {self.n_trials!r}")
        if not (self.error_score == "raise" or isinstance(self.error_score, numbers.Real)):
            raise ValueError(f"error_score must be 'raise' or a number, got {self.error_score!r}")
        if isinstance(self.scoring, (list, tuple, set, dict)):
            raise ValueError("TunerSearchCV tunes one score: pass one scorer name or callable as scoring")
        if self.study is None:
            _check_space_names(self.search_space, self.estimator)
        elif not isinstance(self.study, (Study, numbers.Integral)) or isinstance(self.study, bool):
            raise ValueError(f"study must be a study id or a tuner_client.Study, got {self.study!r}")
        _n_threads(self.n_jobs)
        return check_scoring(self.estimator, scoring=self.scoring)

    def _open_study(self) -> Study:
        if self.study is None:
            spec = {
                "name": self.study_name or f"{type(self.estimator).__name__} search",
                "direction": "maximize",
                "search_space": self.search_space,
                "sampler": self._sampler_settings(),
                "objective": {"kind": "external"},
                "budget": {"n_trials": int(self.n_trials)},
            }
            return Study.create(spec, self.url, self.token)
        study = self.study if isinstance(self.study, Study) else Study(self.url, int(self.study), self.token)
        _check_existing(study.info(), self.search_space, self.estimator)
        return study

    def _sampler_settings(self) -> Dict[str, Any]:
        settings = {"name": self.sampler} if isinstance(self.sampler, str) else dict(self.sampler)
        if self.random_state is not None and "seed" not in settings:
            seed = self.random_state
            if not isinstance(seed, numbers.Integral) or isinstance(seed, bool):
                seed = check_random_state(seed).randint(2**31 - 1)
            settings["seed"] = int(seed)
        return settings

    # ---- the best trial --------------------------------------------------------------------

    def _choose_best(self, outcomes: List["_Outcome"], stopped_because: Optional[str]) -> None:
        complete = [i for i, outcome in enumerate(outcomes) if outcome.error is None]
        if not complete:
            reason = outcomes[0].error.strip().splitlines()[-1] if outcomes else stopped_because
            raise ValueError(f"no trial completed, so there is no best params; the first reason: {reason}")
        if callable(self.refit):
            self.best_index_ = int(self.refit(self.cv_results_))
        else:
            ranks = self.cv_results_["rank_test_score"]
            # The server's best ignores failed trials and breaks ties by the lower number.
            self.best_index_ = min(complete, key=lambda i: (ranks[i], i))
            self.best_score_ = float(self.cv_results_["mean_test_score"][self.best_index_])
        self.best_params_ = dict(self.cv_results_["params"][self.best_index_])

    def _refit(self, X: Any, y: Any, params: Dict[str, Any]) -> None:
        estimator = clone(self.estimator).set_params(**copy.deepcopy(self.best_params_))
        started = time.perf_counter()
        if y is None:
            estimator.fit(X, **params)
        else:
            estimator.fit(X, y, **params)
        self.refit_time_ = time.perf_counter() - started
        self.best_estimator_ = estimator
        if hasattr(estimator, "feature_names_in_"):
            self.feature_names_in_ = estimator.feature_names_in_

    # ---- what the best estimator does ------------------------------------------------------

    def _fitted_best(self) -> Any:
        check_is_fitted(self, "best_estimator_", msg="refit=True is needed (and fit first) to use the best estimator")
        return self.best_estimator_

    def score(self, X: Any, y: Any = None, **params: Any) -> float:
        """Score the best estimator on data with ``scorer_``.

        Args:
            X: Data to score.
            y: Its targets.
            **params: Passed to the scorer.

        Returns:
            The score (greater is better).
        """
        return self.scorer_(self._fitted_best(), X, y, **params)

    @available_if(_best_has("predict"))
    def predict(self, X: Any) -> Any:
        """``best_estimator_.predict(X)``."""
        return self._fitted_best().predict(X)

    @available_if(_best_has("predict_proba"))
    def predict_proba(self, X: Any) -> Any:
        """``best_estimator_.predict_proba(X)``."""
        return self._fitted_best().predict_proba(X)

    @available_if(_best_has("predict_log_proba"))
    def predict_log_proba(self, X: Any) -> Any:
        """``best_estimator_.predict_log_proba(X)``."""
        return self._fitted_best().predict_log_proba(X)

    @available_if(_best_has("decision_function"))
    def decision_function(self, X: Any) -> Any:
        """``best_estimator_.decision_function(X)``."""
        return self._fitted_best().decision_function(X)

    @available_if(_best_has("score_samples"))
    def score_samples(self, X: Any) -> Any:
        """``best_estimator_.score_samples(X)``."""
        return self._fitted_best().score_samples(X)

    @available_if(_best_has("transform"))
    def transform(self, X: Any) -> Any:
        """``best_estimator_.transform(X)``."""
        return self._fitted_best().transform(X)

    @available_if(_best_has("inverse_transform"))
    def inverse_transform(self, X: Any) -> Any:
        """``best_estimator_.inverse_transform(X)``."""
        return self._fitted_best().inverse_transform(X)

    @property
    def classes_(self) -> Any:
        """The best estimator's classes (classifiers)."""
        return self._fitted_best().classes_

    @property
    def n_features_in_(self) -> int:
        """The number of features the best estimator was fitted on."""
        return self._fitted_best().n_features_in_

    def __sklearn_tags__(self) -> Any:
        """scikit-learn's tags: those of an estimator of the same kind as ``estimator``."""
        tags = super().__sklearn_tags__()
        inner = get_tags(self.estimator)
        # A classifier's search is a classifier: is_classifier, check_cv and scorers rely on it.
        tags.estimator_type = inner.estimator_type
        tags.classifier_tags = copy.deepcopy(inner.classifier_tags)
        tags.regressor_tags = copy.deepcopy(inner.regressor_tags)
        tags.input_tags.pairwise = inner.input_tags.pairwise
        tags.input_tags.sparse = inner.input_tags.sparse
        return tags



# ---- one trial's cross-validation ------------------------------------------------------------


@dataclass
class _Outcome:
    """One trial as this fit ran it."""

    number: int
    params: Dict[str, Any]
    test_scores: Any
    train_scores: Any
    fit_times: Any
    score_times: Any
    error: Optional[str] = None


class _Evaluation:
    """Cross-validates the estimator with a trial's params on the fit's folds."""

    def __init__(self, estimator: Any, X: Any, y: Any, groups: Any, params: Dict[str, Any], splits: list,
                 scorer: Callable, error_score: Any, return_train_score: bool) -> None:
        self.estimator, self.X, self.y, self.groups, self.params = estimator, X, y, groups, params
        self.splits, self.scorer, self.error_score = splits, scorer, error_score
        self.return_train_score = return_train_score

    def __call__(self, number: int, trial_params: Dict[str, Any]) -> _Outcome:
        """Score one trial; a failing fit raises when error_score is "raise", else is recorded."""
        try:
            estimator = clone(self.estimator).set_params(**copy.deepcopy(trial_params))
            # error_score="raise" here even for a number: a fit that fails fails the trial on
            # the server, and the traceback is its error.
            result = cross_validate(
                estimator, self.X, self.y, groups=self.groups, scoring=self.scorer, cv=self.splits, n_jobs=1,
                params=self.params, return_train_score=self.return_train_score, error_score="raise",
            )
        except Exception:
            if self.error_score == "raise":
                raise
            return self._failed(number, trial_params, traceback.format_exc())
        return _Outcome(number, trial_params, result["test_score"], result.get("train_score"),
                        result["fit_time"], result["score_time"])

    def _failed(self, number: int, trial_params: Dict[str, Any], error: str) -> _Outcome:
        scores = np.full(len(self.splits), float(self.error_score))
        zeros = np.zeros(len(self.splits))
        return _Outcome(number, trial_params, scores, scores.copy() if self.return_train_score else None,
                        zeros, zeros.copy(), error=error)


# ---- asking and telling, in threads ----------------------------------------------------------


class _Runner:
    """Runs trials in ``n`` threads until ``n_trials`` were asked or the study has none left."""

    def __init__(self, study: Study, evaluate: _Evaluation, n_trials: int, verbose: int) -> None:
        self.study, self.evaluate, self.n_trials, self.verbose = study, evaluate, int(n_trials), verbose
        self.stopped_because: Optional[str] = None
        self.outcomes: List[_Outcome] = []
        self._lock = threading.Lock()
        self._n_asked = 0
        self._stop = threading.Event()

    def run(self, n_threads: int) -> List[_Outcome]:
        """Run the trials and return what each did, in trial-number order."""
        if n_threads == 1:
            self._loop()  # in the caller's thread, so that Ctrl-C tells the open trial "interrupted"
        else:
            # Share the CPUs between the trials, as joblib does for its workers: each BLAS or
            # OpenMP library spinning one thread per CPU in every trial makes all of them crawl.
            with threadpool_limits(limits=max(1, (os.cpu_count() or 1) // n_threads)):
                errors = self._in_threads(n_threads)
            first = next((error for error in errors if error is not None), None)
            if first is not None:
                raise first
        return sorted(self.outcomes, key=lambda outcome: outcome.number)

    def _in_threads(self, n_threads: int) -> List[Optional[BaseException]]:
        with ThreadPoolExecutor(n_threads, thread_name_prefix="tuner-search") as pool:
            futures = [pool.submit(self._loop) for _ in range(n_threads)]
            try:
                return [future.exception() for future in futures]
            except BaseException:
                self._stop.set()  # Ctrl-C: the trials under way finish and are told, then fit stops
                raise

    def _loop(self) -> None:
        try:
            while self._take_slot():
                trial = self._ask()
                if trial is None:
                    return
                self._run(trial)
        except BaseException:
            self._stop.set()  # the other threads finish their trial and stop
            raise

    def _take_slot(self) -> bool:
        with self._lock:
            if self._stop.is_set() or self._n_asked >= self.n_trials:
                return False
            self._n_asked += 1
            return True

    def _ask(self) -> Optional[Trial]:
        try:
            return self.study.ask()
        except Conflict as exc:
            with self._lock:
                self.stopped_because = exc.message
            self._stop.set()
            log.info("study %s hands out no more trials: %s", self.study.id, exc.message)
            return None

    def _run(self, trial: Trial) -> None:
        with trial:  # an exception tells the trial failed with its traceback, and goes on up
            outcome = self.evaluate(trial.number, trial.params)
            mean = float(np.mean(outcome.test_scores))
            if outcome.error is not None:
                trial.fail(outcome.error[-MAX_ERROR_CHARS:])
            elif not np.isfinite(mean):
                outcome.error = f"the mean test score is not a finite number ({mean})"
                trial.fail(outcome.error)
            else:
                trial.tell(mean)
        with self._lock:
            self.outcomes.append(outcome)
        if self.verbose > 0:
            result = "failed" if outcome.error else f"score {mean:.6g}"
            print(f"[TunerSearchCV] trial {trial.number}: {result} with {trial.params}", flush=True)


def _n_threads(n_jobs: Optional[int]) -> int:
    if n_jobs is None:
        return 1
    if isinstance(n_jobs, bool) or not isinstance(n_jobs, numbers.Integral) or n_jobs == 0 or n_jobs < -1:
        raise ValueError(f"n_jobs must be None, -1 or a whole number ≥ 1, got {n_jobs!r}")
    return (os.cpu_count() or 1) if n_jobs == -1 else int(n_jobs)


# ---- checks before anything is sent ---------------------------------------------------------


def _check_space_names(space: Any, estimator: Any) -> None:
    if not isinstance(space, dict) or not space:
        raise ValueError(
            "search_space must be a non-empty dict of Tuner parameter specs, e.g. "
            '{"C": {"type": "float", "low": 0.001, "high": 1000, "log": True}}; '
            "or pass study= to continue an existing study"
        )
    known = estimator.get_params(deep=True)
    unknown = sorted(name for name in space if name not in known)
    if unknown:
        raise ValueError(
            f"search_space names {unknown} that {type(estimator).__name__} does not have; "
            f"its parameters are {sorted(known)}"
        )


def _check_existing(info: Dict[str, Any], space: Any, estimator: Any) -> None:
    if (info.get("objective") or {}).get("kind") != "external":
        raise ValueError(f"study {info['id']} runs on Tuner's workers; TunerSearchCV needs an external study")
    if info.get("directions") != ["maximize"]:
        raise ValueError(
            f"study {info['id']} has directions {info.get('directions')}; TunerSearchCV needs one direction, "
            "maximize (scikit-learn scores are greater-is-better, e.g. neg_mean_squared_error)"
        )
    if space is not None and set(space) != set(info["search_space"]):
        raise ValueError(
            f"search_space names {sorted(space)} but study {info['id']} searches {sorted(info['search_space'])}; "
            "leave search_space out to use the study's"
        )
    _check_space_names(info["search_space"], estimator)


# ---- cv_results_ -----------------------------------------------------------------------------


def _cv_results(outcomes: List[_Outcome], n_splits: int, return_train_score: bool) -> Dict[str, Any]:
    results: Dict[str, Any] = {}
    for kind in ("fit", "score"):
        times = np.array([getattr(outcome, f"{kind}_times") for outcome in outcomes]).reshape(-1, n_splits)
        results[f"mean_{kind}_time"] = times.mean(axis=1)
        results[f"std_{kind}_time"] = times.std(axis=1)
    names = sorted({name for outcome in outcomes for name in outcome.params})
    for name in names:
        results[f"param_{name}"] = _masked_column([outcome.params.get(name, _ABSENT) for outcome in outcomes])
    results["params"] = [outcome.params for outcome in outcomes]
    sets = ("test", "train") if return_train_score else ("test",)
    for which in sets:
        scores = np.array([getattr(outcome, f"{which}_scores") for outcome in outcomes], dtype=float)
        scores = scores.reshape(-1, n_splits)
        for split in range(n_splits):
            results[f"split{split}_{which}_score"] = scores[:, split]
        results[f"mean_{which}_score"] = scores.mean(axis=1)
        results[f"std_{which}_score"] = scores.std(axis=1)
        if which == "test":
            results["rank_test_score"] = _ranks(results["mean_test_score"])
    results["trial_number"] = np.array([outcome.number for outcome in outcomes], dtype=int)
    return results


_ABSENT = object()


def _masked_column(values: List[Any]) -> Any:
    column = np.ma.MaskedArray(np.empty(len(values), dtype=object), mask=True)
    for i, value in enumerate(values):
        if value is not _ABSENT:
            column[i] = value  # assigning unmasks the entry
    return column


def _ranks(means: Any) -> Any:
    # Best first, equal scores share the lower rank; a NaN mean ranks after every score.
    return rankdata(-np.nan_to_num(means, nan=-np.inf), method="min").astype(np.int32)
