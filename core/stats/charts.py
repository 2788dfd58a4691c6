"""Bar charts drawn on the server as SVG: the geometry here, the markup in templates/stats.

Horizontal bars, one row each: the label above its bar, the number after it, so that long
labels are never cut and the chart reads at any width (the SVG scales with its viewBox).
Every chart is shown with the same numbers in a table, for screen readers and for print.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from .figures import Bar

ROW_HEIGHT = 40
LABEL_BASELINE = 14  # from the top of a row
BAR_TOP = 19
BAR_HEIGHT = 15
VALUE_ROOM = 70  # room kept at the right of the longest bar for its number


@dataclass(frozen=True)
class DrawnBar:
    """A bar with its place in the drawing."""

    key: str
    label: str
    value: int
    text: str  # the number as the reader writes it
    label_y: int
    bar_y: int
    width: float
    value_x: float
    value_y: int


@dataclass(frozen=True)
class Chart:
    """A titled bar chart ready to draw: ``width`` x ``height`` user units."""

    id: str
    title: str
    bars: tuple[DrawnBar, ...]
    width: int
    height: int
    bar_height: int = BAR_HEIGHT

    @property
    def description(self) -> str:
        """Every bar's label and number, for ``<desc>``."""
        return "; ".join(f"{bar.label}: {bar.text}" for bar in self.bars)


def bar_chart(
    chart_id: str,
    title: str,
    bars: Sequence[Bar],
    written: Callable[[int], str] = str,
    width: int = 640,
) -> Chart:
    """Lay ``bars`` out; ``written`` turns a number into the reader's notation."""
    longest = max((bar.value for bar in bars), default=0)
    room = width - VALUE_ROOM
    drawn = []
    for row, bar in enumerate(bars):
        top = row * ROW_HEIGHT
        length = room * bar.value / longest if longest else 0.0
        drawn.append(
            DrawnBar(
                key=bar.key,
                label=bar.label,
                value=bar.value,
                text=written(bar.value),
                label_y=top + LABEL_BASELINE,
                bar_y=top + BAR_TOP,
                width=round(length, 1),
                value_x=round(length + 6, 1),
                value_y=top + BAR_TOP + BAR_HEIGHT - 3,
            )
        )
    return Chart(
        id=chart_id,
        title=title,
        bars=tuple(drawn),
        width=width,
        height=max(ROW_HEIGHT, len(drawn) * ROW_HEIGHT),
    )
