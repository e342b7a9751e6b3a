"""Time as both generators count it: months as whole numbers (0 is January of the first year), and
where a person is in a given month."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class Months:
    first_year: int

    def start(self, m: int) -> dt.date:
        """Month index (negative before the first year) → its first day."""
        return dt.date(self.first_year + m // 12, m % 12 + 1, 1)

    def index(self, d: dt.date) -> int:
        return (d.year - self.first_year) * 12 + d.month - 1

    def quarter_label(self, q: int) -> str:
        """Quarter index → '2023Q4', as the sheets store a quarter."""
        return f"{self.first_year + q // 4}Q{q % 4 + 1}"


def add_days(d: dt.date, n: int) -> dt.date:
    return d + dt.timedelta(days=n)


class Placed:
    """A person's whereabouts, for both generators' Person: in the roster from month `start` until
    before `end`, in the 队 and 班组 of the latest of `moves` [(month, 队, 班组)] (in month order, the
    first at `start`)."""
    __slots__ = ()      # the group's Person keeps its slots

    start: int
    end: int
    moves: list[tuple[int, str, str]]

    def place(self, m: int) -> tuple[str, str]:
        current = self.moves[0]
        for move in self.moves:
            if move[0] <= m:
                current = move
            else:
                break
        return current[1], current[2]

    def present(self, m: int) -> bool:
        return self.start <= m < self.end
