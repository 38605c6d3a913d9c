"""Scorers, reports and the benchmark: how good Dragoman is, and how fast.

Importing this package is cheap: the pipeline, spaCy and matplotlib are loaded
only by the modules that need them (``runners``, ``bench``, ``plots``).
"""
