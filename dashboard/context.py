"""What the study and trial pages show a visitor: the same page for every role and for a share
link, with the controls and panels the visitor's role allows (`studies.access` decides)."""

from django.db.models import Q
from django.urls import reverse

from studies import access, objectives
from studies.models import Trial
from studies.objectives.metrics import METRICS
from studies.services import artifacts, model_exports, predictions, read, rechecks, surrogates
from studies.services.datasets import MissingDataset
from studies.services.notes import render_markdown
from studies.services.summary import study_summary

from . import charts, plots
from . import header as headers
from . import results as study_results
from . import snippets, states
from .names import control_words, param_label
from .recheck import can_recheck


def study_page(request, visitor):
    """The study page's template context."""
    study = visitor.study
    may = visitor.may()
    header = headers.page_header(study)
    header["n_agents"] = read.n_active_agents(study)
    best = read.best_trial(study)
    results = study_results.for_scripts(study)
    return {
        "study": study, "header": header, "best": best, "may": may, "public": visitor.link is not None,
        "n_infeasible": read.n_infeasible(study) if best is None and study.direction else 0,
        "baseline": results["baseline"], "leaderboard": results["leaderboard"],
        "base_template": "dashboard/_public_base.html" if visitor.link else "base.html",
        "summary": study_summary(study), "objectives": list(zip(study.objective_labels, study.directions)),
        "sampler_reason": headers.sampler_explained(study), "search_settings": headers.search_settings(study),
        "left_out": charts.left_out(study), "words": charts.words(study),
        "preload": charts.urls_on_open(study, may["run"]), "shows_metric": charts.shows_metric_chart(study, may["run"]),
        "notes": notes(visitor),
        "members": read.members_of(study) if may["see_people"] else [],
        "model": best_model(study) if may["use_model"] and model_exports.has_model(study) else None,
        "explain": explain_panel(study, may) if model_exports.has_model(study) else None,
        "recheck": recheck_panel(study, may) if can_recheck(study) else None,
        "predict": predict_panel(study) if may["use_model"] and model_exports.has_model(study) else None,
        "what_if": what_if_panel(study, may, best),
        "lineage": lineage(visitor),
        "narrow": narrow_panel(study) if may["narrow"] else None,
        "run_more": run_more_default(study),
        "meanings": param_meanings(study), "range_params": range_params(study),
        "snippets": snippets.for_study(request, study) if snippets.shown(study, may) else None,
        "urls": api_urls(study, may),
        "page_data": {
            "id": study.pk, "directions": study.directions, "search_space": study.search_space,
            "value_title": plots.value_title(study.directions, study.objective_labels),
            "objective_labels": study.objective_labels,
            "is_external": study.is_external, "header": header, "numeric": numeric_params(study), "may": may,
            "states": states.for_scripts(), "urls": api_urls(study, may), "results": results,
            "metric_names": study.metric_names, "attr_names": study.attr_names,
            "limits": objectives.limit_sentences(study.objective),
            "history_limit": charts.MAX_HISTORY_POINTS,
            # The table's columns and filters, the contour's pickers and the forms name parameters so.
            "words": control_words(study),
        },
    }


def trial_page(visitor, trial):
    """The trial page's template context."""
    may = visitor.may()
    reports = read.trial_reports(trial)
    # Only a finished trial has a result to leave out; the API refuses the others too.
    can_exclude = may["exclude"] and trial.state in Trial.FINISHED_STATES
    return {
        "study": visitor.study, "trial": trial, "reports": reports, "may": may, "public": visitor.link is not None,
        "base_template": "dashboard/_public_base.html" if visitor.link else "base.html",
        "notes": notes(visitor, trial), "trial_number": trial.number, "urls": api_urls(visitor.study, may),
        "can_exclude": can_exclude, "files": trial_files(trial) if may["see_files"] else None,
        "inherited": inherited_note(visitor, trial),
        "constraint_rows": objectives.describe_constraints(visitor.study.objective, trial.constraints, trial.metrics),
        "limits": bool(objectives.limit_sentences(visitor.study.objective)),
        "page_data": {"reports": [{"step": step, "value": value} for step, value in reports],
                      "state": trial.state, "states": states.for_scripts(),
                      "api": reverse("trial-detail", args=[trial.pk]) if may["see_people"] else None,
                      "exclude": reverse("trial-exclude", args=[trial.pk]) if can_exclude else None,
                      "include": reverse("trial-include", args=[trial.pk]) if can_exclude else None},
    }


PREVIEWED = 20  # files shown inline on a trial page


def trial_files(trial):
    """The files attached to a trial as the page shows them: each with its download link (beside
    the page, so a share link's too) and what of it to show inline (`artifacts.preview`)."""
    # Each preview reads the start of its file: past PREVIEWED files, the rest are links only.
    return [{"name": found.name, "size": found.size, "content_type": found.content_type, "url": f"files/{found.pk}/",
             **(artifacts.preview(found) if index < PREVIEWED else {"kind": None})}
            for index, found in enumerate(read.artifacts_of(trial))]


def inherited_note(visitor, trial):
    """For an inherited trial, the parent study's trial it copies ({"study_id", "number"}) when the
    visitor may open it, else None; None for every other trial."""
    if trial.origin != Trial.Origin.INHERITED:
        return None
    source = None
    if visitor.link is None and trial.inherited_from_id:
        source = access.trials_for(visitor.user).filter(pk=trial.inherited_from_id).values("study_id", "number").first()
    return {"source": source}


def notes(visitor, trial=None):
    """The notes a visitor sees; who wrote one is shown only to those who may see people."""
    people = visitor.can("see_people")
    return [{"trial": note.trial.number if note.trial_id else None, "text": note.text,
             "html": render_markdown(note.text),
             "updated_by": note.updated_by.get_username() if people and note.updated_by else "",
             "updated_at": note.updated_at if people else None}
            for note in read.notes_of(visitor.study, trial)]


def best_model(study):
    """What the best-model panel needs: the API URL its script reads, posts to and polls."""
    return {"url": reverse("study-best-model", args=[study.pk])}


def explain_panel(study, may):
    """What the explanation panel's script reads ("explain.json", beside the page, for links too)
    and, for those who may run the study, where it asks for the explanation now."""
    return {"url": "explain.json", "api": reverse("study-explain", args=[study.pk]) if may["run"] else ""}


def recheck_panel(study, may):
    """What the re-check card's script reads ("recheck.json", beside the page, for links too)
    and, for those who may run the study, where it starts a re-check and its limits."""
    return {"url": "recheck.json", "api": reverse("study-recheck", args=[study.pk]) if may["run"] else "",
            "max_top_k": rechecks.MAX_TOP_K, "max_repeats": rechecks.MAX_REPEATS}


def predict_panel(study):
    """Where the predict panel's script uploads a CSV (it then polls the prediction it gets back),
    the columns the file needs, and which of them hold dates."""
    try:
        kinds = predictions.model_columns(study.objective)
    except MissingDataset:
        kinds = {}
    columns = list(kinds)
    # The script follows a prediction at this URL with its id in place of the 0.
    return {"url": reverse("study-predictions", args=[study.pk]), "follow": reverse("prediction", args=[0]),
            "columns": columns, "dates": [name for name, kind in kinds.items() if kind == "date"],
            "classifier": METRICS.get(study.objective.get("metric"), ("",))[0] == "classification"}


def param_meanings(study):
    """What a built-in model's parameters do, named as the page names them, each with the name the
    API and the exports use; none for your own code."""
    if study.objective.get("kind") != "sklearn":
        return []
    return [(objectives.param_words(name), meaning, name)
            for name, meaning in objectives.param_meanings(study.search_space)]


def run_more_default(study):
    """The count "Run more trials" starts at: the study's budget again (25 without one), 10 to 100."""
    return min(max(study.n_trials or 25, 10), 100)


def what_if_panel(study, may, best):
    """What the What if panel's script reads: the prediction and the advice beside the page (for
    links too), the controls' starting point (the best trial's params), and, for those who may run
    the study, where "Try these parameters" queues a trial."""
    if len(study.directions) != 1:
        return None
    return {"url": "what-if.json", "advice": "advice.json", "start": best.params if best else {},
            "enqueue": reverse("study-trials", args=[study.pk]) if may["run"] else "",
            "min_trials": surrogates.MIN_TRIALS, "value_name": study.objective_labels[0], **control_words(study)}


def lineage(visitor):
    """The study's parent and children (narrower studies), and the study it tunes again on new
    data, as the visitor may follow them: a signed-in visitor gets the ones they can see, by id and
    name (one they cannot see by id alone); a share link only learns that the study continues another."""
    study = visitor.study
    if visitor.link is not None:
        return {"parent_id": study.parent_id, "parent": None, "children": [], "public": True,
                "retuned_from_id": study.retuned_from_id, "retuned_from": None}
    related = (access.studies_for(visitor.user)
               .filter(Q(pk=study.parent_id) | Q(parent=study) | Q(pk=study.retuned_from_id))
               .only("pk", "name", "parent_id").order_by("pk"))  # one query for all three
    parent = next((other for other in related if other.pk == study.parent_id), None)
    earlier = next((other for other in related if other.pk == study.retuned_from_id), None)
    return {"parent_id": study.parent_id, "parent": parent,
            "children": [other for other in related if other.parent_id == study.pk], "public": False,
            "retuned_from_id": study.retuned_from_id, "retuned_from": earlier}


def narrow_panel(study):
    """What the "Narrow the search" card's script needs: where it posts, and the budget it proposes
    (the study's own)."""
    # The script opens the child at this URL with its id in place of the 0.
    return {"url": reverse("study-narrow", args=[study.pk]), "child_url": reverse("dashboard:study", args=[0]),
            "n_trials": study.n_trials}


def api_urls(study, may):
    """The API and page URLs a visitor's controls use; none for what the role does not allow."""
    urls = {"report": "report.html"}
    if may["run"] or may["delete"]:
        urls["api"] = reverse("study-detail", args=[study.pk])
        urls["enqueue"] = reverse("study-trials", args=[study.pk])
    if may["export"]:
        urls["export_csv"], urls["export_json"] = "export.csv", "export.json"
        urls["export_optuna"] = reverse("study-export-optuna", args=[study.pk])
        urls["duplicate"] = reverse("dashboard:new") + f"?from={study.pk}"
        urls["compare"] = reverse("dashboard:compare") + f"?ids={study.pk}"
        urls["list"] = reverse("dashboard:studies")
    if may["exclude"]:
        # The table's script puts a trial's id in place of the 0.
        urls["exclude"], urls["include"] = reverse("trial-exclude", args=[0]), reverse("trial-include", args=[0])
    if may["see_people"]:
        urls["members"] = reverse("study-members", args=[study.pk])
        urls["notes"] = reverse("study-notes", args=[study.pk])
    if may["share"]:
        urls["links"] = reverse("study-share-links", args=[study.pk])
        urls["link"] = reverse("share-link", args=[0])
    if may["narrow"] and study.objective.get("kind") == "sklearn" and str(study.objective.get("dataset")).startswith("csv:"):
        # "Tune again on new data": the script uploads the file, then makes the new study and opens it.
        urls["retune"], urls["datasets"] = reverse("study-retune", args=[study.pk]), reverse("dataset-list")
    if may["use_model"]:
        urls["model"] = reverse("study-best-model-joblib", args=[study.pk])
        urls["model_text"] = reverse("study-best-model-py", args=[study.pk])
    return urls


def range_params(study):
    """The number parameters the trial table's range filter offers: (name, as the page names it)."""
    words = control_words(study)
    return [(name, param_label(words, name)) for name in numeric_params(study)]


def numeric_params(study):
    return [name for name, spec in study.search_space.items() if spec.get("type") in ("int", "float")]
