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
    x: float
    y: float
    number: int
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
    """Bars: articles published per day; numbered markers: the timeline's events. None without dates."""
    published = Counter(d for d in (_day(a.published) for a in articles) if d)
    events = [(d, e) for e in entries if (d := _day(e.date))]
    days = set(published) | {d for d, _ in events}
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
    stacked: Counter[date] = Counter()
    for number, (day, entry) in enumerate(sorted(events, key=lambda de: de[0]), start=1):
        # Several events on one day stack upwards instead of hiding each other.
        y = TOP + 10 + 22 * stacked[day]
        stacked[day] += 1
        chart.markers.append(Marker(x_of(day), min(y, chart.baseline - 10), number, day.isoformat(), entry.text))
    step = max(1, -(-span // MAX_TICKS))  # ceiling division: at most MAX_TICKS labels
    for i in range(0, span, step):
        day = first + timedelta(days=i)
        chart.ticks.append((x_of(day), day.strftime("%d %b")))
    return chart
