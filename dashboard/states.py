"""The one place for state names and colours: charts (Python and JavaScript) and badges use these.

Templates hand them to the page scripts (`{% states_json %}`) and to the badges (`{% badge %}`),
so changing a colour here changes it everywhere.
"""

TRIAL_STATES = {
    "complete": "#2563eb", "pruned": "#d97706", "failed": "#dc2626", "stopped": "#6b7280", "running": "#16a34a",
    "waiting": "#9ca3af",
}
STUDY_STATES = {
    "created": "#6b7280", "running": "#16a34a", "paused": "#d97706", "completed": "#2563eb", "stopped": "#dc2626",
    "failed": "#dc2626",
}
# What people read for a trial state where the API's name would puzzle them: a pruned trial
# was stopped early, by the pruner, because it looked unpromising.
TRIAL_STATE_WORDS = {"pruned": "stopped early"}
# The best-so-far line of the history chart.
BEST_LINE = "#111827"
# A trial a person excluded from the results, greyed in the history chart.
EXCLUDED = "#9ca3af"
# The setting that mattered most within its kind of model, on the importance chart: amber beside
# the bars' blue, which people who confuse red and green still tell apart.
LEAD = "#d97706"
# One colour per study on the compare page.
PALETTE = ("#2563eb", "#dc2626", "#16a34a", "#d97706", "#7c3aed", "#0891b2", "#db2777", "#4b5563")


def colour_of(state):
    """The colour of a trial or study state (grey for one this version does not know)."""
    return TRIAL_STATES.get(state) or STUDY_STATES.get(state) or "#6b7280"


def words_of(state):
    """A trial or study state as people read it ("stopped early" for pruned; most as they are named)."""
    return TRIAL_STATE_WORDS.get(state, state)


def for_scripts():
    """What the page scripts need: state colours (trial states in legend order), the words for a
    state where they differ from its name, the best line's colour and an excluded trial's."""
    return {"trial": TRIAL_STATES, "study": STUDY_STATES, "words": TRIAL_STATE_WORDS, "best": BEST_LINE,
            "excluded": EXCLUDED}
