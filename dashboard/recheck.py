"""Is the winner real? The re-check of a study's top trials as the study page and share links
show it: the state in words, one chart of each trial's mean with its 95% interval (built by
`plots`), the most reliable trial and the sentence comparing the two best."""

from studies.services import rechecks

from . import plots

STATUS = {
    "none": "Not re-checked yet.",
    "queued": "Waiting for a worker to re-check the top trials…",
    "running": "The top trials are being measured again…",
    "failed": "The re-check could not be finished.",
    "ready": "",
}
EXTERNAL_RUNNING = ("Your code is measuring the top trials again: keep your loop asking for trials "
                    "until it is told the study is finished.")


def recheck_card(study):
    """The re-check's state and, as its trials fill in, the chart; once ready, the most reliable trial.

    Returns:
        ``{"state", "status", "error", "sentence", "robust_best", "most_reliable", "figure",
        "top_k", "repeats"}``.
    """
    found = rechecks.recheck_of(study)
    status = EXTERNAL_RUNNING if found["state"] == "running" and study.is_external else STATUS[found["state"]]
    best = found["robust_best"]
    figure = plots.recheck_intervals(found["trials"], best, "mean value") if found["trials"] else None
    return {"state": found["state"], "status": status, "error": found["error"], "sentence": found["sentence"],
            "robust_best": best, "most_reliable": f"Most reliable: #{best}" if best is not None else "",
            "figure": figure, "top_k": found["top_k"], "repeats": found["repeats"]}


def can_recheck(study):
    """Whether the study has a re-check card: one objective, and not a benchmark function."""
    return len(study.directions) == 1 and study.objective.get("kind") != "function"
