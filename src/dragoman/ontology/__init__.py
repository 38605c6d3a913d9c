"""CAMEO codes, PLOVER types and modes, and the predicate lexicon, loaded from data files."""

from dragoman.ontology.cameo import CameoCode, cameo_entry, load_cameo, plover_types
from dragoman.ontology.lexicon import Lexicon, ModalityEntry, NounEntry, VerbEntry
from dragoman.ontology.modal import condition_code, deontic_code, modal_code, speech_code
from dragoman.ontology.tsv import DataFileError

__all__ = [
    "CameoCode",
    "DataFileError",
    "Lexicon",
    "ModalityEntry",
    "NounEntry",
    "VerbEntry",
    "cameo_entry",
    "condition_code",
    "deontic_code",
    "load_cameo",
    "modal_code",
    "plover_types",
    "speech_code",
]
