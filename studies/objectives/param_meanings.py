"""What each built-in model's parameters do, in a sentence for someone who has never tuned one.

Only for the parameters of Tuner's own default search spaces (`spaces.py`): a study of your own
training code names its parameters itself, and "alpha" or "C" there could mean anything.
"""

from .automl import FAMILY_PARAM, SEPARATOR

_HOLD_BACK = "how strongly the model is held back from following every quirk of the rows it learns from"
MEANINGS_BY_NAME = {
    FAMILY_PARAM: "which kind of model learns from the rows",
    "C": "how closely the model may follow the rows it learns from: small keeps it simple, large lets it bend",
    "kernel": "the shape of the boundary it can draw: straight (linear) or curved (rbf, poly)",
    "gamma": "how far each row's pull reaches: large means only very similar rows count",
    "degree": "how much a curved (poly) boundary may bend",
    "epsilon": "how small a miss the model ignores while it learns",
    "n_estimators": "how many trees vote together",
    "max_depth": "how many questions in a row each tree may ask",
    "min_samples_split": "the fewest rows a group must hold before a tree may split it again",
    "min_samples_leaf": "the fewest rows each final group of a tree must hold: more makes smoother, simpler trees",
    "max_features": "the share of the columns each tree may look at for each question",
    "learning_rate": "how much each new tree corrects the trees before it: small steps learn slower but steadier",
    "max_iter": "how many trees are added, one after another",
    "max_leaf_nodes": "how many final groups each tree may split the rows into",
    "l2_regularization": "how strongly large corrections are held back",
    "n_neighbors": "how many of the most similar rows are asked for the answer",
    "weights": "whether nearer rows count more (distance) or all count the same (uniform)",
    "p": "how similarity is measured: 1 adds up the differences column by column, 2 is the straight-line distance",
    "hidden_layer_sizes": "how many units the network has between its input and its answer",
    "activation": "the shape of each unit's response (relu or tanh)",
    "alpha": _HOLD_BACK,
    "learning_rate_init": "how big the network's learning steps are",
    "l1_ratio": "the mix of two ways of holding back: 1 can drop columns entirely, 0 only shrinks their weight",
}


def param_meanings(space):
    """The meaning of each parameter of a built-in model's search space that has one.

    Args:
        space: The study's JSON search space; an auto study's names are ``<family>__<param>``.

    Returns:
        ``[(name, meaning)]`` in the space's order.

    Example:
        >>> param_meanings({"svm__C": {}, "my_own": {}})[0][0]
        'svm__C'
    """
    return [(name, MEANINGS_BY_NAME[name.rpartition(SEPARATOR)[2]]) for name in space
            if name.rpartition(SEPARATOR)[2] in MEANINGS_BY_NAME]
