"""Medal points of groups of competitors: regions at the national finals, training centres
at a regional selection.

WorldSkills compares its Members by their total medal points (gold 4, silver 3, bronze 2,
medallion 1) and by their average medal points, the total divided by the number of skills
they competed in; a team counts as one competitor (WorldSkills, "Results and Reports",
member comparison reports). Here the average divides by the group's entries, one per
competitor or team in a skill: where a group enters once per skill, as a Member does, it is
that same average; where a centre enters several candidates in one skill, each counts.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass

from .scoring import Award, medal_points

STANDINGS = ("points", "average")


@dataclass(frozen=True)
class Tally:
    """What one group's entries won."""

    entries: int = 0
    gold: int = 0
    silver: int = 0
    bronze: int = 0
    medallions: int = 0

    @property
    def points(self) -> int:
        """Total medal points."""
        return (
            self.gold * medal_points(Award.GOLD)
            + self.silver * medal_points(Award.SILVER)
            + self.bronze * medal_points(Award.BRONZE)
            + self.medallions * medal_points(Award.MEDALLION)
        )

    @property
    def average_points(self) -> float:
        """Medal points per entry; 0.0 for a group without entries."""
        return self.points / self.entries if self.entries else 0.0


def tally(results: Iterable[tuple[Hashable, Award | str | None]]) -> dict[Hashable, Tally]:
    """Each group's ``Tally`` from ``(group, award)`` pairs, one pair per entry.

    An entry without an award (``None``) counts in the entries and brings no point. Raise
    ``ValueError`` for an award that is not gold, silver, bronze, medallion or ``None``.
    """
    counts: dict[Hashable, Counter] = {}
    for group, award in results:
        medal_points(award)  # refuses what is not an award
        counts.setdefault(group, Counter())[award] += 1
    return {
        group: Tally(
            entries=count.total(),
            gold=count[Award.GOLD],
            silver=count[Award.SILVER],
            bronze=count[Award.BRONZE],
            medallions=count[Award.MEDALLION],
        )
        for group, count in counts.items()
    }


def standings(
    tallies: Mapping[Hashable, Tally], *, by: str = "points"
) -> list[tuple[int, Hashable, Tally]]:
    """``(rank, group, tally)`` from first to last by total medal points (``by="points"``)
    or average medal points (``by="average"``).

    Groups with equal values share a rank and the next rank is skipped (1, 1, 3); among
    them, groups come in the order of their names. Raise ``ValueError`` for another ``by``.
    """
    if by not in STANDINGS:
        raise ValueError(f"by must be one of {', '.join(STANDINGS)}, not {by!r}")

    def value(tally_: Tally) -> float:
        return tally_.points if by == "points" else tally_.average_points

    ordered = sorted(tallies.items(), key=lambda item: (-value(item[1]), str(item[0])))
    rows: list[tuple[int, Hashable, Tally]] = []
    for position, (group, group_tally) in enumerate(ordered, start=1):
        tied = rows and value(rows[-1][2]) == value(group_tally)
        rows.append((rows[-1][0] if tied else position, group, group_tally))
    return rows
