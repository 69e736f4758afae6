"""Every model of Tuner's core, one module per kind of row."""

from .artifact import Artifact
from .baseline import Baseline
from .dataset import Dataset
from .ensemble import Ensemble
from .explanation import Explanation
from .figures import StudyFigures
from .members import ShareLink, StudyMember
from .model_export import ModelExport
from .note import Note
from .prediction import Prediction
from .recheck import Recheck
from .study import Study
from .trial import Trial, TrialReport

__all__ = [
    "Artifact", "Baseline", "Dataset", "Ensemble", "Explanation", "ModelExport", "Note", "Prediction", "Recheck",
    "ShareLink", "Study",
    "StudyFigures", "StudyMember", "Trial", "TrialReport",
]
