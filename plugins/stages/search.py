"""Words of offers as teachers search them: without accents or case, and with the
masculine and feminine forms of an occupation brought to one stem.

French occupations have two forms (boulanger, boulangère; coiffeur, coiffeuse; agriculteur,
agricultrice; technicien, technicienne): a teacher who types either finds both. Each word
is normalised (``tremplin.text.normalise``), its feminine or plural ending brought to the
masculine singular, and an offer matches when every word of the query starts one of its
words.
"""

from __future__ import annotations

import re

from tremplin.text import normalise

WORD = re.compile(r"[^\W_]+")
# Endings of feminine and plural forms and what they become, longest first.
ENDINGS = (
    ("iennes", "ien"),
    ("ienne", "ien"),
    ("trices", "teur"),
    ("trice", "teur"),
    ("euses", "eur"),
    ("euse", "eur"),
    ("eures", "eur"),
    ("eure", "eur"),
    ("ieres", "ier"),
    ("iere", "ier"),
    ("eres", "er"),
    ("ere", "er"),
    ("onnes", "on"),
    ("onne", "on"),
    ("ennes", "en"),
    ("enne", "en"),
    ("ives", "if"),
    ("ive", "if"),
    ("ffes", "f"),
    ("ffe", "f"),
    ("ees", "e"),
    ("ee", "e"),
    ("antes", "ant"),
    ("ante", "ant"),
    ("ates", "at"),
    ("ate", "at"),
    ("andes", "and"),
    ("ande", "and"),
)
SHORTEST_STEM = 3


def stem(word: str) -> str:
    """``word`` (already normalised) with a feminine or plural ending made masculine
    singular: ``coiffeuse`` and ``coiffeurs`` give ``coiffeur``."""
    for ending, replacement in ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) + len(replacement) >= SHORTEST_STEM:
            return word[: -len(ending)] + replacement
    if word.endswith("s") and len(word) > SHORTEST_STEM + 1:
        return word[:-1]
    return word


def stems(text: str | None) -> list[str]:
    """The stems of the words of ``text``, in order."""
    return [stem(word) for word in WORD.findall(normalise(text))]


def search_text(*parts: str | None) -> str:
    """What an offer is searched by: its stems, each preceded by a space (so that a query
    word matches the start of a word), at most 1000 characters."""
    return (" " + " ".join(stem for part in parts for stem in stems(part)) + " ")[:1000]
