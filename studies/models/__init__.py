"""Every model of Tuner's core, one module per kind of row."""

from .dataset import Dataset
from .members import ShareLink, StudyMember
from .model_export import ModelExport
from .note import Note
from .study import Study
from .trial import Trial, TrialReport

__all__ = ["Dataset", "ModelExport", "Note", "ShareLink", "Study", "StudyMember", "Trial", "TrialReport"]
