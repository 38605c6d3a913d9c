"""Converters that turn public event-coding dictionaries into Dragoman's own data files.

Each converter is a module of this package with a ``run(source, out)`` function: ``source``
is the folder holding the dictionary files, ``out`` the folder to write (``None``: the
converter's packaged default). It writes deterministic files (the same input gives
byte-identical output) and returns a short summary, one line per file or count.
``python -m dragoman.knowledge NAME`` runs one converter, ``all`` runs every converter
listed in :data:`CONVERTERS`; see ``__main__``.
"""

from __future__ import annotations

#: Sub-command name -> module (in this package) that implements it.
CONVERTERS = {
    "verbs": "petrarch_verbs",
    "actors": "petrarch_actors",
    "discards": "petrarch_discards",
}
