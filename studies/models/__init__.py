"""Every model of Tuner's core, one module per kind of row."""

from .dataset import Dataset
from .explanation import Explanation
from .members import ShareLink, StudyMember
from .model_export import ModelExport
from .note import Note
from .prediction import Prediction
from .study import Study
from .trial import Trial, TrialReport

__all__ = ["Dataset", "Explanation", "ModelExport", "Note", "Prediction", "ShareLink", "Study", "StudyMember", "Trial",
           "TrialReport"]
