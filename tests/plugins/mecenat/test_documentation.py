"""docs/plugins/mecenat.md keeps up with the code: its examples run, its contract is exact.

Every ```python block of the page is a doctest; the blocks run in order in one namespace,
like a reader typing them into a Python shell. The headings give the exact signatures of
the public functions, and every key of a year's estimate is described.
"""

from __future__ import annotations

import doctest
import inspect
import re
from pathlib import Path

import pytest

from tremplin.plugins.mecenat import tax, valuation

pytestmark = pytest.mark.one_database  # nothing here depends on the database

PAGE = Path(__file__).resolve().parents[3] / "docs" / "plugins" / "mecenat.md"
BLOCK = re.compile(r"^```python\n(.*?)^```", re.MULTILINE | re.DOTALL)


def page() -> str:
    return PAGE.read_text(encoding="utf-8")


def signature_of(function) -> str:
    """``name(a, b, *, c=None)``: the signature without its annotations."""
    parts = []
    for parameter in inspect.signature(function).parameters.values():
        if parameter.kind is parameter.KEYWORD_ONLY and "*" not in parts:
            parts.append("*")
        default = parameter.default
        parts.append(parameter.name + ("" if default is parameter.empty else f"={default!r}"))
    return f"{function.__name__}({', '.join(parts)})"


def test_the_page_has_worked_examples():
    # Guards the test below against passing on a page without examples.
    assert len(BLOCK.findall(page())) >= 4


def test_every_example_of_the_page_gives_the_figures_it_shows():
    parser = doctest.DocTestParser()
    runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE)
    namespace: dict = {}
    for number, block in enumerate(BLOCK.findall(page()), 1):
        test = parser.get_doctest(block, {}, f"example block {number}", str(PAGE), 0)
        test.globs = namespace  # get_doctest copies the globals it is given
        runner.run(test, clear_globs=False)
    results = runner.summarize(verbose=False)
    assert results.attempted > 0
    assert results.failed == 0, "an example of docs/plugins/mecenat.md drifted from the code"


@pytest.mark.parametrize("function", [tax.simulate, valuation.value_of_time])
def test_the_page_gives_the_exact_signature_of_each_public_function(function):
    assert f"### `{signature_of(function)}`" in page()


@pytest.mark.parametrize("key", sorted(tax.YearEstimate.__annotations__))
def test_every_key_of_a_year_s_estimate_is_described(key):
    assert f"| `{key}` |" in page()


@pytest.mark.parametrize("key", tax.REQUIRED_KEYS + tax.OPTIONAL_KEYS)
def test_every_key_of_a_financial_year_is_described(key):
    assert f"| `{key}` |" in page()
