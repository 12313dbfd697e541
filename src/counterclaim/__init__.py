"""counterclaim: war reporting -> source-attributed, geolocated claims."""

from .documents import read_document
from .errors import CounterclaimError, DataFileError, GazetteerError, InputError
from .evaluate import evaluate
from .gazetteer import Gazetteer
from .models import Actor, Analysis, Claim, Document, Place, PlaceMention, Span
from .pipeline import Pipeline, analyze

__version__ = "0.1.0"

__all__ = [
    "Actor",
    "Analysis",
    "Claim",
    "CounterclaimError",
    "DataFileError",
    "Document",
    "Gazetteer",
    "GazetteerError",
    "InputError",
    "Pipeline",
    "Place",
    "PlaceMention",
    "Span",
    "__version__",
    "analyze",
    "evaluate",
    "read_document",
]
