"""Text as people search it: without accents, case or extra spaces."""

import re
import unicodedata


def normalise(text: str | None) -> str:
    """Lower case, no accents, single spaces: ``"Soudeuse—Ébéniste"`` -> ``"soudeuse-ebeniste"``."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFKD", text.replace("—", "-").replace("–", "-"))
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(stripped.casefold().split())


# Feminine endings of French occupation names and the masculine ending they stand for,
# tried longest first, on words already normalised (no accents, lower case). From the
# rules of "Femme, j'écris ton nom… Guide d'aide à la féminisation des noms de métiers,
# titres, grades et fonctions" (CNRS-INaLF, La Documentation française, 1999), section
# "Règles de féminisation": -euse/-eur, -trice/-teur, -ière/-ier, -ère/-er, -ienne/-ien,
# -enne/-en, -onne/-on, -esse (maîtresse, hôtesse), -ive/-if, -ée/-é, -ante/-ant,
# -ente/-ent, -ate/-at, -ale/-al, -ette/-et, -ine/-in, -effe/-ef (cheffe), and the -eure
# of the 2019 report of the Académie française (professeure, auteure). Both sides of a
# search go through the same mapping, so an ending read too eagerly (a "soudure" read as
# "soudur") costs nothing.
_FEMININE_ENDINGS = (
    ("trice", "teur"),
    ("ffe", "f"),
    ("ienne", "ien"),
    ("iere", "ier"),
    ("euse", "eur"),
    ("eure", "eur"),
    ("enne", "en"),
    ("onne", "on"),
    ("esse", "e"),
    ("ette", "et"),
    ("ante", "ant"),
    ("ente", "ent"),
    ("ere", "er"),
    ("ive", "if"),
    ("ate", "at"),
    ("ale", "al"),
    ("ine", "in"),
    ("ee", "e"),
)
_SHORTEST_STEM = 3


def masculine_form(word: str) -> str:
    """The singular masculine form of a normalised French occupation word, as a search key.

    ``"soudeuses"`` -> ``"soudeur"``, ``"infirmiere"`` -> ``"infirmier"``,
    ``"animatrice"`` -> ``"animateur"``, ``"technicienne"`` -> ``"technicien"``; a word
    that is already masculine, or too short to tell, comes back singular and unchanged.
    """
    if len(word) > 4 and word.endswith("aux"):
        word = word[:-3] + "al"
    elif len(word) > 4 and word.endswith(("s", "x")) and not word.endswith("ss"):
        word = word[:-1]
    for feminine, masculine in _FEMININE_ENDINGS:
        if word.endswith(feminine) and len(word) - len(feminine) >= _SHORTEST_STEM:
            return word[: -len(feminine)] + masculine
    return word


def with_masculine_forms(text: str) -> str:
    """``text`` (normalised) followed by the masculine forms of its words it lacks.

    What a search index holds, so that a search for either form finds both:
    ``"soudeuse"`` -> ``"soudeuse soudeur"``.
    """
    words = re.findall(r"[^\W_]+", text)
    added = dict.fromkeys(form for form in map(masculine_form, words) if form not in words)
    return " ".join([text, *added]) if added else text
