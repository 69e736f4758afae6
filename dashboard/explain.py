"""What drives the best model, as the study page, the share page and the report show it: one
figure per chart (built by `plots`), each with a title and a one-line caption in plain words.

Built from the stored explanation on each read: it is a few small lists, and a page asks for
it again only while the explanation is being computed.
"""

from studies import objectives
from studies.objectives import format_number, metric_direction, metric_words
from studies.services import explanations

from . import plots

NOT_YET = "Not worked out for this study: the owner or an editor can ask for it."
STATUS = {
    "none": "Worked out on a worker once the study completes.",
    "queued": "Waiting for a worker to work out what drives the best model…",
    "running": "A worker is working out what drives the best model (it refits it a few times)…",
    "failed": "What drives the best model could not be worked out.",
    "ready": "",
}


def explain_charts(study):
    """The explanation's state, a sentence about it, and its charts once ready.

    Returns:
        ``{"state", "status", "error", "trial", "charts": [{"name", "title", "caption", "figure"}]}``.
    """
    found = explanations.explanation_of(study)
    charts = _charts(study, found) if found["state"] == "ready" else []
    # A study stopped or failed before it completed is explained only on request.
    status = NOT_YET if found["state"] == "none" and study.state in study.FINISHED_STATES else STATUS[found["state"]]
    return {"state": found["state"], "status": status, "error": found["error"], "trial": found["trial"],
            "charts": charts}


def _charts(study, found):
    metric = study.objective.get("metric", "")
    charts = [{"name": "explain-columns", "title": "What the model relies on",
               "caption": columns_caption(found["columns"], metric),
               "figure": plots.column_importance(found["columns"], _axis_title(metric))}]
    for i, curve in enumerate(found["partial_dependence"]):
        charts.append({"name": f"explain-pd-{i}", "title": f"How '{curve['name']}' moves the prediction",
                       "caption": curve["caption"], "figure": plots.partial_dependence(curve)})
    if "confusion_matrix" in found:
        matrix = found["confusion_matrix"]
        charts.append({"name": "explain-confusion", "title": "Where the model is right and wrong",
                       "caption": confusion_caption(matrix, _target(study)), "figure": plots.confusion_matrix(matrix)})
    if "predicted_vs_actual" in found:
        points = found["predicted_vs_actual"]
        charts.append({"name": "explain-scatter", "title": "Predicted against real values",
                       "caption": points["caption"],
                       "figure": plots.predicted_vs_actual(points, _target(study))})
    return charts


def _axis_title(metric):
    name = metric_words(metric)
    return f"drop in {name} when shuffled" if metric_direction(metric) == "maximize" else f"rise in {name} when shuffled"


def _target(study):
    # A bundled dataset's target is called "target", which says nothing to a reader.
    target = study.objective.get("target")
    return target if target and study.objective.get("dataset", "") not in objectives.BUNDLED_DATASETS else "value"


def columns_caption(columns, metric):
    """One sentence on the column the model leans on most, in the metric's own terms."""
    name = metric_words(metric)
    if not columns or not columns[0]["importance"] or columns[0]["importance"] <= 0:
        return f"No single column matters much: shuffling any one of them barely changes the model's {name}."
    top, amount = columns[0]["name"], format_number(columns[0]["importance"])
    worse = f"lowers its {name} by {amount}" if metric_direction(metric) == "maximize" else \
        f"raises its {name} by {amount}"
    return (f"Which columns the model leans on most: shuffling '{top}' among rows it had not seen {worse}. "
            "A bar near zero means the model hardly uses that column; the whisker shows how much shuffling varied.")


def confusion_caption(matrix, target):
    """How often the model was right on rows it had not seen, and its most common mistake."""
    counts, labels = matrix["counts"], matrix["labels"]
    total = sum(map(sum, counts))
    right = sum(counts[i][i] for i in range(len(counts)))
    text = (f"Right on {right:,} of {total:,} rows it had not seen ({right / max(total, 1):.0%}). Each row of boxes "
            f"is a real '{target}', each column what the model answered: the boxes from top left to bottom right "
            "are right answers.")
    mistakes = [(counts[i][j], i, j) for i in range(len(counts)) for j in range(len(counts)) if i != j]
    n, real, answered = max(mistakes, default=(0, 0, 0))
    if n:
        text += f" Its most common mistake: answering '{labels[answered]}' for {n:,} rows that were '{labels[real]}'."
    return text
