"""What a study's parameters and their choices are called on its page: the one place that names
them for people, for the What if panel, the charts, the trial table and the forms alike."""

from studies.objectives.automl import FAMILY_LABELS, FAMILY_PARAM, is_auto, param_words


def chooses_model(study):
    """Whether Tuner chooses the kind of model of this study (its parameters are Tuner's to name);
    a study on the user's own code may call a parameter ``estimator`` too, and keeps its names."""
    objective = study.objective or {}
    return objective.get("kind") == "sklearn" and is_auto(objective.get("estimator"))


def control_words(study):
    """What a control of a study where Tuner chose the kind of model is called: "C of support
    vector machine", not "svm__C", and its kinds of model as the leaderboard names them, as the
    header and the summary say them. Nothing for other studies: their names are the user's own."""
    if not chooses_model(study):
        return {"labels": {}, "choice_labels": {}}
    return {"labels": {name: param_words(name).removeprefix("the ") for name in study.search_space},
            "choice_labels": {FAMILY_PARAM: dict(FAMILY_LABELS)}}


def param_label(words, name):
    """A parameter as `control_words` names it (`words`), else as written."""
    return words["labels"].get(name, name)


def hover_label(words, name):
    """A parameter as a chart's hover names it: in words with the name the API and the exports
    use beside it ("C of support vector machine (svm__C)"), so an engineer still finds it; a name
    without words alone."""
    said = param_label(words, name)
    return f"{said} ({name})" if said != name else name


def choice_label(words, name, choice):
    """One choice of a parameter as people read it ("Support vector machine" for ``svm``), else
    as written."""
    return words["choice_labels"].get(name, {}).get(choice, choice) if isinstance(choice, str) else choice
