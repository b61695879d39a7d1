"""The geometry of the inline SVG charts and maps that the pages draw: the bars of a plan's fill
chart (consejo.supply.selectors.plans) and of an election's results
(consejo.elections.selectors.results), and the map of a plan's depots and recipients.

Coordinates leave here as text with a decimal point (no locale writes a decimal comma into an
SVG attribute). A chart is ``CHART_WIDTH`` units wide and ``CHART_ROW`` units a bar: a line for
the label, then the bar (a phone has no room for both side by side); the figure is written
3 units after the end of the bar.

The map is the equirectangular projection with its standard parallel at the mean latitude of
the points (x = longitude · cos φ₀, y = −latitude), scaled to fit a box and centred in it:
J. P. Snyder, *Map Projections — A Working Manual*, U.S. Geological Survey Professional Paper
1395 (1987), §12 "Equidistant cylindrical projection", p. 90. Over the few kilometres of a
city's depots the distortion is invisible.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

#: The width of a chart, in its own units (the SVG's viewBox).
CHART_WIDTH = 300
#: The height of one bar's row: a line for the label, then the bar.
CHART_ROW = 40
#: Where the figure is written after the end of a bar.
FIGURE_GAP = 3


@dataclass(frozen=True, slots=True)
class BarPlace:
    """Where one bar of a chart goes: its width, where its figure is written, its row's top."""

    width: str
    text_x: str
    y: int


def bar_place(index: int, width: float, *, x: float = 0.0) -> BarPlace:
    """The place of the bar in row ``index`` (from 0), ``width`` units long, starting at ``x``.

    Rule: the bar's row starts at ``index · CHART_ROW``; its figure is written ``FIGURE_GAP``
    units after its end; both widths are written with two decimals."""
    return BarPlace(
        width=f"{width:.2f}", text_x=f"{x + width + FIGURE_GAP:.2f}", y=index * CHART_ROW
    )


def chart_height(bars: int) -> int:
    """The height of a chart of ``bars`` bars (one row at least, so that an empty chart is a
    valid SVG)."""
    return max(bars, 1) * CHART_ROW


#: The map's width, the most height it takes, and its margin, in its own units.
MAP_WIDTH = 300
MAP_MAX_HEIGHT = 240
MAP_MIN_HEIGHT = 60
MAP_PAD = 8
#: How far from its mark a place's label starts.
LABEL_GAP = 7


@dataclass(frozen=True, slots=True)
class MapFrame:
    """A map's box and its projection of (latitude, longitude) points into it."""

    width: int
    height: int
    scale_x: float  # cos φ₀
    unit: float  # map units per projected degree
    off_x: float
    off_y: float
    min_x: float
    min_y: float

    def project(self, point: tuple[float, float]) -> tuple[str, str]:
        """The map coordinates (x, y, one decimal) of ``point`` (latitude, longitude)."""
        x = self.off_x + (point[1] * self.scale_x - self.min_x) * self.unit
        y = self.off_y + (-point[0] - self.min_y) * self.unit
        return f"{x:.1f}", f"{y:.1f}"


def map_frame(points: Sequence[tuple[float, float]]) -> MapFrame | None:
    """The frame that fits ``points`` (latitude, longitude), or None when there are none.

    Rule: the equirectangular projection at the points' mean latitude (the module's docstring),
    scaled by one factor so that the points fill ``MAP_WIDTH`` less the margins or
    ``MAP_MAX_HEIGHT`` less the margins, whichever binds first, and centred; the map is as high
    as the points need, between ``MAP_MIN_HEIGHT`` and ``MAP_MAX_HEIGHT``."""
    if not points:
        return None
    mean_lat = sum(p[0] for p in points) / len(points)
    scale_x = math.cos(math.radians(mean_lat))
    xs = [p[1] * scale_x for p in points]
    ys = [-p[0] for p in points]
    span_x = max(xs) - min(xs)
    span_y = max(ys) - min(ys)
    inner = MAP_WIDTH - 2 * MAP_PAD
    span = max(span_x, span_y * inner / (MAP_MAX_HEIGHT - 2 * MAP_PAD), 1e-9)
    unit = inner / span
    height = max(MAP_MIN_HEIGHT, min(MAP_MAX_HEIGHT, round(span_y * unit) + 2 * MAP_PAD))
    return MapFrame(
        width=MAP_WIDTH,
        height=height,
        scale_x=scale_x,
        unit=unit,
        off_x=MAP_PAD + (inner - span_x * unit) / 2,
        off_y=MAP_PAD + ((height - 2 * MAP_PAD) - span_y * unit) / 2,
        min_x=min(xs),
        min_y=min(ys),
    )


def label_beside(x: str) -> tuple[str, str]:
    """Where the label of a mark at ``x`` starts and its SVG ``text-anchor``: beside the mark,
    towards the middle of the map, so that the label stays inside it."""
    left = float(x) < MAP_WIDTH / 2
    return f"{float(x) + (LABEL_GAP if left else -LABEL_GAP):.1f}", "start" if left else "end"
