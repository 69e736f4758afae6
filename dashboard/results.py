"""A study's result as the pages show it, formatted for people: the baseline beside the best value
and the leaderboard of model families, for the study page (every visitor), its live poll and the
report."""

from studies.objectives import FAMILY_LABELS, describe_guess, format_number, is_auto, metric_words
from studies.services import read
from studies.services.summary import duration

# About three significant digits, as the sentences in words write them.
number = format_number

def baseline_panel(study):
    """The baseline in words, or None until a worker has computed it.

    Returns:
        ``{"value", "score", "spread", "guess", "sentence"}``: the raw value (for the history
        chart), the value and its spread as shown, what the guess does ("always answering
        'no'"), and the sentence shown beside the best value.
    """
    facts = read.result_facts(study)
    if facts is None:
        return None
    baseline = facts["baseline"]
    guess = describe_guess(baseline["strategy"], facts["roles"].get("majority"))
    score = number(baseline["value"])
    return {"value": baseline["value"], "score": score, "spread": _spread(baseline["cv_std"]), "guess": guess,
            "sentence": f"A guess that ignores every column ({guess}) scores {score}."}


def leaderboard_panel(study, baseline=None):
    """The leaderboard as shown, or None for a study that does not let Tuner choose the model.

    Args:
        study: The study.
        baseline: `baseline_panel(study)`, read here when not given.

    Returns:
        ``{"families", "ensemble", "baseline", "metric", "n_folds", "goal", "note"}``; every
        figure a string ready to show.
    """
    objective = study.objective
    if objective.get("kind") != "sklearn" or not is_auto(objective.get("estimator")) or study.direction is None:
        return None
    board = read.leaderboard(study)
    families = [{"rank": rank, "label": FAMILY_LABELS.get(row["estimator"], row["estimator"]),
                 "estimator": row["estimator"], "score": number(row["best_value"]), "spread": _spread(row["cv_std"]),
                 "fit_time": _seconds(row["fit_time_s"]), "trial": row["trial"], "n_trials": row["n_trials"]}
                for rank, row in enumerate(board["families"], start=1)]
    return {"families": families, "ensemble": _ensemble_row(board["ensemble"]),
            "baseline": baseline if baseline is not None else baseline_panel(study),
            "metric": metric_words(objective.get("metric")), "n_folds": objective.get("cv"),
            "goal": "higher is better" if study.direction == "maximize" else "lower is better",
            "note": " ".join(filter(None, [_note(study, board["ensemble"], len(families)), _few_trials(families)]))}


def for_scripts(study):
    """What the page script refreshes while workers may still add to the result."""
    baseline = baseline_panel(study)
    return {"baseline": baseline, "leaderboard": leaderboard_panel(study, baseline),
            "pending": read.results_pending(study)}


def _ensemble_row(ensemble):
    if ensemble is None:
        return None
    members = ", ".join(f"#{n}" for n in ensemble["members"])
    verdict = ("beats the best single model: offered as the result" if ensemble["beats"]
               else "not clearly better than the best single model")
    return {"label": f"Average of the best {len(ensemble['members'])} (trials {members})",
            "score": number(ensemble["value"]), "spread": _spread(ensemble["cv_std"]),
            "fit_time": _seconds(ensemble["fit_time_s"]), "verdict": verdict, "beats": ensemble["beats"]}


def _note(study, ensemble, n_families):
    if ensemble is not None or n_families < 2:
        return ""
    state = read.ensemble_state(study)
    if state in ("queued", "running"):
        return "A worker is scoring the average of the best models of each kind…"
    if state == "failed":
        return "The average of the best models could not be scored; the best single model is the result."
    if study.state in study.FINISHED_STATES:
        return ""
    return "When the study ends, a worker scores the average of the best models of each kind."


# Fewer trials than this and a kind of model's best says little of what it can do: the search
# gave up on it early, perhaps after unlucky settings.
FEW_TRIALS = 5


def _few_trials(families):
    few = [row for row in families[1:] if row["n_trials"] < FEW_TRIALS]
    if not few:
        return ""
    if len(few) > 2 and len(few) == len(families) - 1:
        counts = sorted({row["n_trials"] for row in few})
        times = f"{counts[0]}" if len(counts) == 1 else f"{counts[0]} to {counts[-1]}"
        return (f"Every kind but {families[0]['label'].lower()} was tried only {times} times, too few to judge: "
                "with more trials some might do better than their rank says.")
    said = [f"{row['label'].lower()} ({row['n_trials']} {'trial' if row['n_trials'] == 1 else 'trials'})" for row in few]
    names = said[0] if len(said) == 1 else f"{', '.join(said[:-1])} and {said[-1]}"
    one = len(said) == 1
    return (f"{names[0].upper()}{names[1:]} {'was' if one else 'were'} tried too few times to judge: with more "
            f"trials {'it' if one else 'they'} might do better than {'its' if one else 'their'} rank says.")


def _spread(cv_std):
    return f"± {number(cv_std)}" if cv_std is not None else "—"


def _seconds(fit_time_s):
    if fit_time_s is None:
        return "—"
    return f"{fit_time_s:.2f} s" if fit_time_s < 10 else duration(fit_time_s)
