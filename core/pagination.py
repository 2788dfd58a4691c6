"""A page of a long list: what every paginated page and service answers."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

PAGE_SIZE = 20


@dataclass(frozen=True)
class Page:
    """``items`` of page ``page`` (from 1) of a list of ``total`` rows."""

    items: list[Any]
    total: int
    page: int
    page_size: int = PAGE_SIZE

    @property
    def pages(self) -> int:
        """How many pages the list fills (at least one)."""
        return max(1, math.ceil(self.total / self.page_size))
