"""The compare page's rows and figures: studies of one objective by their best values, studies of
several by their hypervolumes up to one shared corner."""

from studies.engine import hypervolume_history, reference_point
from studies.services import read

from . import plots
from .names import choice_label, control_words, param_label


def row(study):
    """What the compare page shows of one study: its label, direction (None with several
    objectives), complete trials or objective values, best trial, and the words its parameters
    are named by (`names.control_words`)."""
    direction = study.directions[0] if len(study.directions) == 1 else None
    history = read.complete_rows(study) if direction else None
    numbers, values = ([], []) if direction else read.complete_objectives(study)
    return {"study": study, "label": f"#{study.pk} {study.name} ({study.sampler.get('name', '?')})",
            "direction": direction, "history": history, "numbers": numbers, "values": values,
            "best": read.best_trial(study) if direction else None,
            "n_complete": len(history) if direction else len(numbers), "words": control_words(study)}


def best_params(rows):
    """The best parameters table: "columns" as (API name, heading), a column for each parameter of
    any study's best trial, in the order of the studies' search spaces (so where Tuner chose the
    kind of model, that comes first); "rows" as (row, cells), a cell as (present, shown, API
    value). A column is headed in words where every study with that parameter names it so: a
    study of your own code may call a parameter ``svm__C`` too, and there it keeps its name."""
    names = list(dict.fromkeys(name for row in rows for name in _in_space_order(_params(row), row["study"])))
    columns = []
    for name in names:
        said = {param_label(row["words"], name) for row in rows if name in _params(row)}
        columns.append((name, said.pop() if len(said) == 1 else name))
    return {"columns": columns, "rows": [(row, [_cell(row, name) for name in names]) for row in rows]}


def _params(row):
    return row["best"].params if row["best"] else {}


def _in_space_order(params, study):
    return [*(name for name in study.search_space if name in params), *params]


def _cell(row, name):
    value = _params(row).get(name)
    return name in _params(row), choice_label(row["words"], name, value), value


def figures(rows):
    """Studies of one objective by their best values; studies of several by their hypervolumes,
    measured up to one corner (only those with the first one's directions can share it)."""
    single = [row for row in rows if row["direction"]]
    several = [row for row in rows if not row["direction"]]
    figures = {}
    if single:
        # An axis names what the values measure only when every study measures the same.
        measures = {row["study"].objective_labels[0] for row in single}
        value_name = measures.pop() if len(measures) == 1 else "value"
        figures["history"] = plots.compare_history([(row["label"], row["direction"], row["history"])
                                                    for row in single], value_name)
        figures["best"] = plots.compare_best([row["label"] for row in single],
                                             [row["best"].value if row["best"] else None for row in single],
                                             value_name)
    if several:
        directions = several[0]["study"].directions
        alike = [row for row in several if row["study"].directions == directions]
        reference = reference_point([v for row in alike for v in row["values"]], directions)
        histories = [(row["label"], row["numbers"], hypervolume_history(row["values"], directions, reference).volumes)
                     for row in alike]
        unlike = [row["label"] for row in several if row not in alike]
        figures["hypervolume"] = plots.compare_hypervolume(histories, reference, several[0]["study"].objective_labels,
                                                           unlike)
    return figures
