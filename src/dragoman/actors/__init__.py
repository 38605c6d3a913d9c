"""Actor knowledge base and actor recognition."""

from dragoman.actors.kb import KnowledgeBase, KnowledgeBaseError
from dragoman.actors.recognize import ActorRecognizer

__all__ = ["ActorRecognizer", "KnowledgeBase", "KnowledgeBaseError"]
