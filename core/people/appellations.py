"""The ROME appellations: the job titles France Travail files under each occupation code.

The ROME (Répertoire Opérationnel des Métiers et des Emplois) groups occupations under a
code of one letter and four digits (H2913 "Soudage manuel"); each code has appellations,
the titles people actually hold: "Soudeur / Soudeuse TIG", "Braseur / Braseuse"... The
directory's free-text search finds an ambassador by the appellations of their code as by
their own words (``codes_matching``), and the profile form suggests them (``suggestions``).

The reference ships with Tremplin as ``data/rome_appellations.csv`` (source and licence on
its first line; ``tremplin.people.rome_export`` rewrites it from France Travail's export).
It never changes while Tremplin runs: it is read once per process.
"""

from __future__ import annotations

import bisect
import csv
import functools
import re
from dataclasses import dataclass
from pathlib import Path

from ..text import masculine_form, normalise

REFERENCE = Path(__file__).parent / "data" / "rome_appellations.csv"
COLUMNS = ("code_rome", "libelle_appellation")

# Words of appellations that say nothing of the occupation ("Électricien du bâtiment",
# "Agent d'accueil"): they are left out, so that "du" or "en" find nobody by appellation.
SMALL_WORDS = frozenset(
    {"a", "au", "aux", "avec", "d", "dans", "de", "des", "du", "en", "et", "l", "la", "le"}
    | {"les", "ou", "par", "pour", "sur", "un", "une"}
)
# A query word shorter than this is matched against the ambassadors' own words only: two
# letters would start the words of most of the ROME.
SHORTEST_QUERY_WORD = 3

_WORD = re.compile(r"[^\W_]+")
# "Soudeur / Soudeuse TIG": a masculine word, its feminine, then what both share.
_TWO_FORMS = re.compile(r"^(\S+) / (\S+)(.*)$")


@dataclass(frozen=True)
class Appellation:
    """One appellation of the ROME and the code it is filed under."""

    rome_code: str
    label: str


@functools.cache
def appellations() -> tuple[Appellation, ...]:
    """Every appellation of the shipped reference, in its order (by code)."""
    lines = REFERENCE.read_text(encoding="utf-8").splitlines()
    rows = csv.DictReader(line for line in lines if not line.startswith("#"))
    return tuple(Appellation(row[COLUMNS[0]], row[COLUMNS[1]]) for row in rows)


def of_code(rome_code: str | None) -> list[str]:
    """The appellations filed under ``rome_code`` (none for an unknown or empty code)."""
    code = (rome_code or "").upper()
    return [appellation.label for appellation in appellations() if appellation.rome_code == code]


def search_words(label: str) -> set[str]:
    """The words by which ``label`` is found: each word normalised, and its masculine form
    (``"Chaudronnière-soudeuse"`` -> chaudronniere, chaudronnier, soudeuse, soudeur),
    without the small words."""
    words = _WORD.findall(normalise(label))
    return {form for word in words for form in (word, masculine_form(word))} - SMALL_WORDS


@functools.cache
def _index() -> tuple[tuple[str, ...], tuple[frozenset[str], ...]]:
    """The search words of every appellation, sorted, and the ROME codes of each."""
    codes: dict[str, set[str]] = {}
    for appellation in appellations():
        for word in search_words(appellation.label):
            codes.setdefault(word, set()).add(appellation.rome_code)
    words = tuple(sorted(codes))
    return words, tuple(frozenset(codes[word]) for word in words)


def codes_matching(word: str) -> frozenset[str]:
    """The ROME codes with an appellation having a word that starts with ``word`` (a word
    of a query, normalised and in its masculine form, as the directory reads it)."""
    if len(word) < SHORTEST_QUERY_WORD:
        return frozenset()
    words, codes = _index()
    found: set[str] = set()
    position = bisect.bisect_left(words, word)
    while position < len(words) and words[position].startswith(word):
        found |= codes[position]
        position += 1
    return frozenset(found)


@dataclass(frozen=True)
class Suggestion:
    """A title the occupation field suggests, with the ROME code it stands for."""

    label: str
    rome_code: str


@functools.cache
def suggestions() -> tuple[Suggestion, ...]:
    """The titles the profile form suggests: each appellation in its masculine and its
    feminine form when the reference writes both ("Soudeur TIG", "Soudeuse TIG"), as it
    is otherwise; sorted, each title once (the first code that has it)."""
    seen: dict[str, Suggestion] = {}
    for appellation in appellations():
        for label in _forms(appellation.label):
            seen.setdefault(label, Suggestion(label, appellation.rome_code))
    return tuple(sorted(seen.values(), key=lambda suggestion: normalise(suggestion.label)))


def _forms(label: str) -> list[str]:
    """``"Soudeur / Soudeuse TIG"`` -> ``["Soudeur TIG", "Soudeuse TIG"]``; a label
    written otherwise ("Cariste", "Éducateur spécialisé / Éducatrice spécialisée" has
    a space before the slash) is left whole, or split on its slash."""
    match = _TWO_FORMS.match(label)
    if match:
        masculine, feminine, rest = match.groups()
        return [f"{masculine}{rest}", f"{feminine}{rest}"]
    return [part.strip() for part in label.split(" / ")]
