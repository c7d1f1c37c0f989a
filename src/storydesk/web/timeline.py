"""The story timeline as a server-rendered SVG chart: coverage per day and numbered events.

Coordinates are computed here and drawn by the template (which escapes every
label), so the chart needs no JavaScript and no charting library.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

from storydesk.records import Article, TimelineEntry

WIDTH = 720
HEIGHT = 190
LEFT, RIGHT, TOP, BOTTOM = 40, 20, 16, 38  # margins, room for the axis labels
MAX_TICKS = 10
MAX_STACK = 3  # events drawn one above the other on one day before they are grouped


@dataclass(slots=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    day: str
    count: int


@dataclass(slots=True)
class Marker:
    x: float  # left edge of the pill
    y: float
    width: float
    label: str  # the event's number in the list below, or "first–last" for a crowded day
    day: str
    text: str


@dataclass(slots=True)
class Chart:
    width: int = WIDTH
    height: int = HEIGHT
    baseline: float = HEIGHT - BOTTOM
    bars: list[Bar] = field(default_factory=list)
    markers: list[Marker] = field(default_factory=list)
    ticks: list[tuple[float, str]] = field(default_factory=list)
    max_count: int = 0


def _day(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def timeline_chart(entries: list[TimelineEntry], articles: list[Article]) -> Chart | None:
    """Bars: articles published per day; numbered markers: `entries` (in the order listed). None without dates."""
    published = Counter(d for d in (_day(a.published) for a in articles) if d)
    # Numbered as in the list under the chart: entries without a full date keep their number but get no marker.
    events = [(number, e) for number, e in enumerate(entries, start=1) if _day(e.date)]
    days = set(published) | {d for _, e in events if (d := _day(e.date))}
    if not days:
        return None
    first, last = min(days), max(days)
    span = (last - first).days + 1
    plot_w = WIDTH - LEFT - RIGHT
    slot = plot_w / span
    chart = Chart(max_count=max(published.values(), default=0))
    plot_h = chart.baseline - TOP

    def x_of(day: date) -> float:
        return LEFT + ((day - first).days + 0.5) * slot

    bar_w = max(2.0, min(slot * 0.6, 40.0))
    for day, count in sorted(published.items()):
        h = plot_h * 0.55 * count / chart.max_count  # the top of the plot is left to the event markers
        chart.bars.append(Bar(x_of(day) - bar_w / 2, chart.baseline - h, bar_w, h, day.isoformat(), count))
    by_day: dict[date, list[tuple[int, TimelineEntry]]] = {}
    for number, entry in events:
        by_day.setdefault(_day(entry.date) or first, []).append((number, entry))
    for day, numbered in by_day.items():
        # Up to MAX_STACK events stack down from the top; a busier day gets one "first–last" marker.
        groups = [[n] for n in numbered] if len(numbered) <= MAX_STACK else [numbered]
        for level, group in enumerate(groups):
            label = str(group[0][0]) if len(group) == 1 else f"{group[0][0]}–{group[-1][0]}"
            width = 10 + 7 * len(label)
            text = "; ".join(e.text for _, e in group)
            chart.markers.append(Marker(x_of(day) - width / 2, TOP + 22 * level, width, label, day.isoformat(), text))
    step = max(1, -(-span // MAX_TICKS))  # ceiling division: at most MAX_TICKS labels
    for i in range(0, span, step):
        day = first + timedelta(days=i)
        chart.ticks.append((x_of(day), day.strftime("%d %b")))
    return chart
