"""Resolvers for the kinds of actor mention, one module per kind.

``state`` holds what they share over one article (the mentions emitted so far, the country
each country word names, the sentence of each token, salience); ``countries``, ``offices``,
``people``, ``organisations`` and ``anaphora`` each resolve one kind of mention against it.
They import ``state`` and the knowledge base, never each other nor ``recognize``, which
walks the article and calls them.
"""
