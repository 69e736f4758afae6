"""The tuning engine: search spaces, samplers, pruners and an in-process ask/tell optimizer.

Pure Python, numpy and scipy; it never imports Django, DRF or Celery (a test checks).
Everything the Django side uses is exported here; the contract is docs/engine-contract.md.
"""

from .errors import GridExhausted, PrunerError, SamplerError, SearchSpaceError
from .importance import ImportanceReport, importance, importance_report
from .narrow import narrowed_space, narrowing_faults
from .optimizer import Optimizer
from .optuna_space import optuna_distribution, space_from_optuna
from .outside import OutsideTrial, OutsideTrialError, check_outside_trials, fitting_trials
from .params import CategoricalParam, Condition, FloatParam, IntParam
from .hypervolume import HypervolumeHistory, hypervolume, hypervolume_history, reference_point
from .pareto import pareto_front, pareto_ranks
from .pruners import (
    PRUNERS,
    ASHAPruner,
    HyperbandPruner,
    MedianPruner,
    PercentilePruner,
    Pruner,
    hyperband_brackets,
    make_pruner,
)
from .recheck import RecheckEstimate, estimate, pooled_spread, probability_ahead, ranked, verdict
from .rng import rng_for
from .samplers import (
    MAX_GRID_POINTS,
    SAMPLERS,
    CMAESSampler,
    EvolutionSampler,
    GPSampler,
    GridSampler,
    NSGA2Sampler,
    QMCSampler,
    RandomSampler,
    Sampler,
    make_sampler,
)
from .samplers.auto import AutoSampler
from .samplers.tpe import TPESampler
from .space import MAX_PARAMS, SearchSpace
from .stopping import StopRuleError, StopRules, cv_noise, stop_reason
from .surrogate import (AT_LIMIT_LEVEL, Advice, Hindcast, NearestTrials, Prediction, Surrogate, SurrogateError, advise,
                        applicable_params, fit_surrogate, hindcast, nearest_trials)
from .text import encoding_fault, label_fault
from .trial import DIRECTIONS, GOAL_WORDS, TRIAL_STATES, TrialRecord

__all__ = [
    "HypervolumeHistory",
    "hypervolume",
    "hypervolume_history",
    "reference_point",
    "pareto_ranks",
    "RecheckEstimate",
    "estimate",
    "pooled_spread",
    "probability_ahead",
    "ranked",
    "verdict",
    "OutsideTrial",
    "OutsideTrialError",
    "check_outside_trials",
    "fitting_trials",
    "narrowed_space",
    "narrowing_faults",
    "optuna_distribution",
    "space_from_optuna",
    "Advice",
    "Hindcast",
    "AT_LIMIT_LEVEL",
    "NearestTrials",
    "Prediction",
    "Surrogate",
    "SurrogateError",
    "advise",
    "applicable_params",
    "fit_surrogate",
    "hindcast",
    "nearest_trials",
    "CMAESSampler",
    "EvolutionSampler",
    "GPSampler",
    "NSGA2Sampler",
    "ASHAPruner",
    "AutoSampler",
    "CategoricalParam",
    "Condition",
    "DIRECTIONS",
    "GOAL_WORDS",
    "FloatParam",
    "GridExhausted",
    "GridSampler",
    "HyperbandPruner",
    "ImportanceReport",
    "IntParam",
    "MAX_GRID_POINTS",
    "MAX_PARAMS",
    "MedianPruner",
    "Optimizer",
    "PercentilePruner",
    "PRUNERS",
    "Pruner",
    "PrunerError",
    "QMCSampler",
    "RandomSampler",
    "SAMPLERS",
    "Sampler",
    "SamplerError",
    "StopRuleError",
    "StopRules",
    "SearchSpace",
    "SearchSpaceError",
    "TPESampler",
    "TRIAL_STATES",
    "TrialRecord",
    "cv_noise",
    "hyperband_brackets",
    "importance",
    "importance_report",
    "encoding_fault",
    "label_fault",
    "make_pruner",
    "make_sampler",
    "pareto_front",
    "rng_for",
    "stop_reason",
]
