"""Text as people search it (without accents, case or extra spaces), and French elision."""

import re
import unicodedata


def normalise(text: str | None) -> str:
    """Lower case, no accents, single spaces: ``"Soudeuse—Ébéniste"`` -> ``"soudeuse-ebeniste"``."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFKD", text.replace("—", "-").replace("–", "-"))
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(stripped.casefold().split())


# French words whose "h" is aspirated: "de Hauts-de-France", never "d’Hauts-de-France".
_ASPIRATED_H = frozenset(
    {"haut", "haute", "hauts", "hautes", "hainaut", "havre", "hollande", "hongrie", "honfleur"}
)
_DE_BEFORE_WORD = re.compile(r"\b([Dd])e ([^\W\d_][\w’'-]*)")


def elide(text: str, language: str) -> str:
    """French elision of "de" before a vowel or a mute h: ``"de Horizons"`` -> ``d’Horizons``.

    Translations write "de %(name)s" around names chosen by a region; this fixes the
    sentence once the name is in. Other languages are returned as they are.
    """
    if language.split("_")[0] != "fr":
        return text

    def elided(match: re.Match[str]) -> str:
        word = match.group(2)
        initial = normalise(word[0])
        first = normalise(re.split(r"[-’' ]", word)[0])
        if initial in "aeiouy" or (initial == "h" and first not in _ASPIRATED_H):
            return f"{match.group(1)}’{word}"
        return match.group(0)

    return _DE_BEFORE_WORD.sub(elided, text)
