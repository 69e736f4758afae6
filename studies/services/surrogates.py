"""What if, and what more trials may bring: the study's surrogate (the engine's Gaussian process on
its complete trials), fitted once per state of those trials and shared by every caller.

Nothing here writes a row: the fitted model and the advice live in the cache only.
"""

import numpy as np
from django.core.cache import cache

from studies import engine, objectives
from studies.engine import SearchSpaceError, SurrogateError, applicable_params

from . import read, summary
from .errors import Conflict, InvalidInput, ServiceError

MIN_TRIALS = engine.surrogate.MIN_TRIALS
CACHE_S = 3600
# Part of the cache keys: a new fit or advice rule must not be answered from what the old one kept.
MODEL_VERSION = 5  # 2: values warped (Yeo-Johnson) before the fit; the advice reads the summary; 3: nearest apart;
# 4: the advice calibrated on the study's own latest trials (a hindcast); 5: each horizon's share of futures at the
# values' limit, and the sentence no longer quotes a horizon past it
# Rows of the nearest-trial search per cache entry (0.5 MB at 8 params): the entries are pickled
# one at a time, so neither a write nor a read holds a second copy of all 60,000 at once.
NEAREST_SLICE = 8192
HORIZONS = (10, 50, 200)
GAINS = (0.01, 0.05)


def surrogate_of(study, with_nearest=False):
    """The study's fitted surrogate, from the cache when its complete trials have not changed.

    Keyed by the count and latest revision of the complete trials: moving a slider asks again
    and again with nothing new to learn, while a trial that completes makes a new model. Its
    nearest trials (every complete trial's params, the bulk of it) are cached apart, in slices,
    and set back only `with_nearest` (a prediction needs them; the advice does not).

    Raises:
        ServiceError (400): The study has several objectives.
        Conflict (409): Fewer than MIN_TRIALS complete trials.
    """
    if len(study.directions) != 1:
        raise ServiceError(f"Predictions are made for single-objective studies; this study has "
                           f"{len(study.directions)} objectives.")
    n_complete, revision = read.complete_revision(study)
    if n_complete < MIN_TRIALS:
        raise Conflict(f"Predictions need at least {MIN_TRIALS} complete trials to learn from; "
                       f"this study has {n_complete}. Run more trials first.")
    key = read.cache_key(study, f"surrogate-{MODEL_VERSION}", n_complete, revision)
    surrogate = cache.get(key)
    if surrogate is None:
        surrogate = _fit(study, n_complete, key)
        cache.set(key, surrogate, CACHE_S)
    if with_nearest:
        surrogate.nearest = _cached_nearest(key, surrogate.n_trials) or _gather_nearest(study, key)
    return surrogate


def _fit(study, n_complete, key):
    records = read.complete_records(study)
    space = read.search_space_of(study)
    try:
        return engine.fit_surrogate(space, records, study.directions, engine.rng_for(study.seed, n_complete),
                                    bounds=value_bounds(study, len(space.params)),
                                    on_nearest=lambda nearest: _store_nearest(key, nearest))
    except SurrogateError as exc:  # complete trials whose params no longer fit the space
        raise Conflict(f"Predictions cannot be made yet: {exc}.") from None


def _store_nearest(key, nearest):
    for i, start in enumerate(range(0, len(nearest.numbers), NEAREST_SLICE)):
        part = slice(start, start + NEAREST_SLICE)
        cache.set(f"{key}-nearest-{i}", (nearest.numbers[part], nearest.raws[part]), CACHE_S)


def _cached_nearest(key, n_trials):
    """The nearest trials as `_store_nearest` wrote them, or None when a slice has left the cache."""
    numbers, raws = [], []
    for i in range(-(-n_trials // NEAREST_SLICE)):
        part = cache.get(f"{key}-nearest-{i}")
        if part is None:
            return None
        numbers.append(part[0])
        raws.append(part[1])
    return engine.NearestTrials(np.concatenate(numbers), np.concatenate(raws))


def _gather_nearest(study, key):
    nearest = engine.nearest_trials(read.search_space_of(study), read.complete_records(study), study.directions)
    if not len(nearest.numbers):
        # The trials went between the model's read and this one (the study was deleted, or its
        # trials excluded, while the question was answered): nothing to measure a distance to.
        raise Conflict("This study's complete trials changed while the prediction was made; ask again.")
    _store_nearest(key, nearest)
    return nearest


def value_bounds(study, n_params):
    """The values the study's objective can take, ``(low, high)`` with None for an open side.

    A built-in objective's are known (an error >= 0, an accuracy <= 1). Of your own code's
    values only the sign is guessed: when no trial ever scored below 0 the values are taken
    as never below 0 (a loss, a time, a size), and likewise above.
    """
    low, high = objectives.value_range(study.objective, n_params)
    lowest, highest = read.complete_value_range(study)
    if low is None and lowest is not None and lowest >= 0:
        low = 0.0
    if high is None and highest is not None and highest <= 0:
        high = 0.0
    return low, high


def predict(study, params):
    """What a trial at `params` would score, by the surrogate.

    Parameters whose condition does not hold are ignored; the rest are checked as a manual
    trial's are (every active parameter given, in range, a valid choice).

    Returns:
        ``{"mean", "low", "high", "nearest_trial": {"number", "distance"}, "params", "n_trials"}``:
        a 95% interval, the params as used, and how many complete trials the model learned from.

    Raises:
        InvalidInput: Keyed ``params.<name>`` per fault (400).
        ServiceError, Conflict: As ``surrogate_of``.
    """
    space = read.search_space_of(study)
    if not isinstance(params, dict):
        raise InvalidInput.single("params", "params must be an object of parameter name to value")
    try:
        clean = space.validate_params(applicable_params(space, params))
    except SearchSpaceError as exc:
        raise InvalidInput({f"params.{path}" if path else "params": [message] for path, message in exc.errors}) from None
    surrogate = surrogate_of(study, with_nearest=True)
    found = surrogate.predict(clean)
    return {"mean": found.mean, "low": found.low, "high": found.high,
            "nearest_trial": {"number": found.nearest_number, "distance": round(found.distance, 4)},
            "params": clean, "n_trials": surrogate.n_trials}


def advice_of(study):
    """What 10, 50 and 200 more trials may bring, simulated on the surrogate (random search assumed).

    Cached with the surrogate's key, and seeded by the study's seed and trial count, so every
    visitor reads the same advice until a trial completes.

    Returns:
        ``{"best", "direction", "n_trials", "horizons": [{"more_trials", "expected_best", "low",
        "high", "at_limit"}], "improvement": [{"more_trials", "min_gain", "probability"}], "calibration": {"trials",
        "expected_gain", "real_gain", "chance", "shrink"}, "sentence"}``: the calibration is the
        hindcast's (``engine.hindcast``): over its latest ``trials``, the gain the model expected of
        them and the one they brought, the chance it gave of gains that small, and the factor the
        simulated gains were scaled by (1: none); a horizon's ``at_limit`` is the share of its simulated
        futures that reached the best value the score can take (``engine.Advice.at_limit``).

    Raises:
        ServiceError, Conflict: As ``surrogate_of``.
    """
    surrogate = surrogate_of(study)
    n_complete, revision = read.complete_revision(study)
    key = read.cache_key(study, f"advice-{MODEL_VERSION}", n_complete, revision)
    found = cache.get(key)
    if found is None:
        # Its own generator, so the advice's draws are those it made before the hindcast existed.
        calibration = engine.hindcast(surrogate, engine.rng_for(study.seed, n_complete))
        advice = engine.advise(surrogate, engine.rng_for(study.seed, n_complete), HORIZONS, GAINS,
                               calibration=calibration)
        found = _advice_body(surrogate, advice, _settled_since(study))
        cache.set(key, found, CACHE_S)
    return found


def _settled_since(study):
    # The summary's own counts and rule, so the advice speaks of the same trials the summary
    # does; the counts alone, kept per revision, not the best trials the sentences read.
    counts = read.fact_counts(study, study.directions[0])
    return summary.settled_since(read.SummaryFacts(n_complete=counts["n_complete"],
                                                   n_since_best=counts.get("n_since_best", 0)))


def _advice_body(surrogate, advice, since=None):
    horizons = [{"more_trials": n, "expected_best": best, "low": low, "high": high, "at_limit": share,
                 "quoted": _quoted(share)}
                for (n, best, low, high), share in zip(advice.horizons, advice.at_limit)]
    improvement = [{"more_trials": n, "min_gain": gain, "probability": p} for n, gain, p in advice.improvement]
    checked = advice.hindcast
    calibration = None if checked is None else {
        "trials": checked.windows * checked.window, "expected_gain": checked.expected_gain,
        "real_gain": checked.real_gain, "chance": checked.chance, "shrink": checked.shrink}
    return {"best": surrogate.best, "direction": surrogate.direction, "n_trials": surrogate.n_trials,
            "horizons": horizons, "improvement": improvement, "calibration": calibration,
            "sentence": advice_sentence(surrogate.best, horizons, improvement, since, calibration,
                                         surrogate.limit)}


def _quoted(at_limit):
    """Whether the sentence and the page's chart use a horizon's figures, from its ``at_limit``
    share: not when its simulations pile at the score's limit (``engine.AT_LIMIT_LEVEL``); more
    trials reach it no less often, so every later horizon is then past it too."""
    return at_limit < engine.AT_LIMIT_LEVEL


HOPEFUL = 0.5  # a chance of gaining 1% at the last horizon from which the advice reads as "room left"


def advice_sentence(best, horizons, improvement, since=None, calibration=None, limit=None):
    """The advice in one plain sentence, from the first horizon's interval and the last one's chance of 1%.

    Args:
        best: Today's best value.
        horizons, improvement: As ``advice_of`` returns them.
        since: The trials since the best when the summary calls the search settled (its "looks
            finished" sentence, ``summary.settled_since``), else None. The sentence then begins with
            that fact and says whether the model agrees or, when it still sees room (the first
            horizon moves the best, or the last has at least an even chance of 1%), that the two
            differ and why, so the page never says both without a word.
        calibration: As ``advice_of`` returns it, or None. When its shrink is below 1 the sentence
            ends by saying so: the model was too hopeful on the study's own latest trials (what it
            expected them to add to the best, and what they added), and the figures are its own
            scaled down, so that no one reads them as the model's untouched view.
        limit: The best value the score can take (R² 1, an error of 0), or None. A horizon whose
            ``at_limit`` share reaches ``engine.AT_LIMIT_LEVEL`` (its 80% interval would end at the
            limit) is not quoted: its figures are the model reaching past anything the trials show
            (with 20 trials in a space of 8 model families, "about 1" was a perfect model promised).
            The sentence says so, and how often its simulations reached the limit, instead.

    >>> advice_sentence(0.91, [{"more_trials": 10, "expected_best": 0.92, "low": 0.91, "high": 0.93},
    ...     {"more_trials": 200, "expected_best": 0.93, "low": 0.92, "high": 0.95}],
    ...     [{"more_trials": 200, "min_gain": 0.01, "probability": 0.35}])
    '10 more trials will likely improve the best from 0.91 to about 0.92 (80% chance between 0.91 and 0.93); 200 more have a 35% chance of gaining 1% or more.'
    """
    past = next((h for h in horizons if not _quoted(h.get("at_limit", 0.0))), None)
    if past is horizons[0]:
        return _past_limit_sentence(past, limit, since) + _calibration_clause(calibration, quoted=False)
    first, last = horizons[0], horizons[-1]
    moves = _number(first["expected_best"]) != _number(best)
    if not moves:
        start = f"{first['more_trials']} more trials will likely leave the best at {_number(best)}"
    else:
        start = (f"{first['more_trials']} more trials will likely improve the best from {_number(best)} "
                 f"to about {_number(first['expected_best'])}")
    chance = next(p["probability"] for p in improvement
                  if p["more_trials"] == last["more_trials"] and p["min_gain"] == GAINS[0])
    low, high = _number(first["low"]), _number(first["high"])
    # "between 0.9192 and 0.9192" reads as a typo: a band that narrow is no change, or that value exactly.
    band = f"80% chance between {low} and {high}"
    if low == high:
        band = f"80% chance of {'exactly that' if moves else 'no change'}"
    interval = f"{start} ({band})"
    if past is not None:
        # A chance read off futures that reach the limit would count the model's reach as gains.
        chance = None
        text = f"{interval}; further ahead the model of the results cannot tell: {_at_limit_clause(past, limit)}."
    elif chance is None:
        text = f"{interval}."
    else:
        text = f"{interval}; {last['more_trials']} more {_chance_of(chance)} of gaining {GAINS[0]:.0%} or more."
    if since is not None:
        if moves or (chance is not None and chance >= HOPEFUL):
            text = (f"The best has not improved in the last {since} trials, yet the model of the results still sees "
                    f"room: {text} It counts on settings unlike those tried so far, so take it as a rough guide and "
                    f"stop if a few more trials bring nothing.")
        else:
            text = f"The best has not improved in the last {since} trials, and the model of the results agrees: {text}"
    return text + _calibration_clause(calibration)


def _past_limit_sentence(past, limit, since):
    # The model's draws went past the best value the score can take: its figures there are not a
    # forecast but the model not knowing, and a reader must not see "about 1" (a perfect model).
    reach = _at_limit_clause(past, limit)
    if since is None:
        return (f"The model of the results cannot yet tell what more trials may bring: {reach}. It knows too little "
                f"of the settings not tried so far; run more trials and ask again.")
    return (f"The best has not improved in the last {since} trials, and the model of the results cannot tell whether "
            f"more trials would change that: {reach}. It knows too little of the settings not tried so far, so stop "
            f"if a few more trials bring nothing.")


def _at_limit_clause(past, limit):
    share = past["at_limit"]
    how_often = "in nearly all of its simulations" if share > 0.99 else f"in {round(100 * share)}% of its simulations"
    reached = "the best value this score can take" if limit is None else \
        f"{_number(limit)}, the best value this score can take"
    return f"{how_often}, {past['more_trials']} more trials reach {reached}, which real data seldom allow"


def _calibration_clause(calibration, quoted=True):
    if calibration is None or calibration["shrink"] >= 1.0:
        return ""
    expected, real = calibration["expected_gain"], calibration["real_gain"]
    # "they added 3.343e-05" is a number only a coder reads: a gain under a hundredth of the one
    # expected is, for the reader, nothing worth its digits.
    added = "0" if real == 0 else "almost nothing" if real < expected / 100 else f"about {_number(real)}"
    checked = (f" Checked against this study's last {calibration['trials']} trials, the model was too hopeful: it "
               f"expected them to add about {_number(expected)} to the best and they added {added}")
    if not quoted:  # no figure above to have been cut
        return f"{checked}."
    return f"{checked}, so the gains above are cut to {max(1, round(100 * calibration['shrink']))}% of what it expected."


def _chance_of(chance):
    # A simulated chance is never certain: "100%" and "0%" would claim more than the model knows.
    if chance > 0.99:
        return "have over a 99% chance"
    if chance < 0.01:
        return "have under a 1% chance"
    return f"have a {round(100 * chance)}% chance"


def _number(value):
    return f"{value:.4g}"
