"""The five-year plans (十四五 …) and the years each covers, for reading a plan's span and its 期末 targets."""
from __future__ import annotations

# the year each five-year plan ends; it starts four years earlier (十四五: 2021–2025)
PLAN_END = {"十一五": 2010, "十二五": 2015, "十三五": 2020, "十四五": 2025, "十五五": 2030, "十六五": 2035}


def plan_years(name: str) -> tuple[int, int]:
    """The first and last year of a five-year plan by its name: 十四五 -> (2021, 2025)."""
    end = PLAN_END[name]
    return end - 4, end
