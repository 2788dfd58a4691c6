"""French elision around names chosen by a region (``tremplin.text.elide``)."""

import pytest

from tremplin.text import elide

pytestmark = pytest.mark.one_database  # nothing here depends on the database


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("L’équipe de Horizons Métiers", "L’équipe d’Horizons Métiers"),  # mute h
        ("L’équipe de Île-de-France", "L’équipe d’Île-de-France"),
        ("contactez l’équipe de Occitanie :", "contactez l’équipe d’Occitanie :"),
        ("L’équipe de Hauts-de-France", "L’équipe de Hauts-de-France"),  # aspirated h
        ("L’équipe de Normandie", "L’équipe de Normandie"),
        ("L’équipe de 4 régions", "L’équipe de 4 régions"),
    ],
)
def test_de_is_elided_before_a_vowel_or_a_mute_h_only(text, expected):
    assert elide(text, "fr") == expected


def test_other_languages_are_left_alone():
    assert elide("de Occitanie", "en") == "de Occitanie"
    assert elide("de Occitanie", "fr_FR") == "d’Occitanie"
