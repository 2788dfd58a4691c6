"""Text as people search it: without accents, case or extra spaces."""

import unicodedata


def normalise(text: str | None) -> str:
    """Lower case, no accents, single spaces: ``"Soudeuse—Ébéniste"`` -> ``"soudeuse-ebeniste"``."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFKD", text.replace("—", "-").replace("–", "-"))
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(stripped.casefold().split())
