"""The traffic chart as a supervisor sees it: the service-level line is drawn over the bars."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QPointF
from PySide6.QtGui import QColor, QImage

from widgets.charts import TrafficChart

pytestmark = [pytest.mark.gui, pytest.mark.timeout(60)]

SL_BLUE = QColor("#2f6fd0")
ANSWERED_GREEN = QColor("#2e9d52")


def _near(a: QColor, b: QColor, tolerance: int = 40) -> bool:
    return all(abs(x - y) <= tolerance for x, y in zip(a.getRgb()[:3], b.getRgb()[:3], strict=True))


def _pixel(chart: TrafficChart, image: QImage, x: float, sl: float) -> QColor:
    scene_point = chart.sl_view.mapViewToScene(QPointF(x, sl))
    widget_point = chart.plot.mapFromScene(scene_point)
    return image.pixelColor(widget_point.x(), widget_point.y())


@pytest.mark.parametrize(
    ("answered", "sl"),
    [
        # answered bars reach 9 / (10 × 1.15) = 78 % of the height: each SL point is on one
        ([9], [66.7]),  # the day's first interval: a single point
        ([9, 9, 9], [66.7, 40.0, 75.0]),
    ],
)
def test_the_service_level_shows_over_the_bars(
    qtbot: Any, answered: list[int], sl: list[float]
) -> None:
    chart = TrafficChart()
    qtbot.addWidget(chart)
    chart.resize(700, 300)
    chart.show()
    n = len(answered)
    labels = [f"0{5 + i // 2}:{'30' if i % 2 else '00'}" for i in range(n)]
    chart.set_data(labels, [a + 1 for a in answered], answered, [1] * n, sl, 90.0)
    image = chart.grab().toImage()
    for x, value in enumerate(sl):
        # the answered bar is centred on the interval: its colour just beside the marker
        beside = _pixel(chart, image, x + 0.09, value)
        assert _near(beside, ANSWERED_GREEN), (x, beside.name())
        assert _near(_pixel(chart, image, x, value), SL_BLUE), x


def _line_at(chart: TrafficChart, image: QImage, x: float, sl: float, colour: QColor) -> bool:
    """Whether a (dashed, antialiased) line of `colour` passes near (x, sl): a few pixels
    along it, one either side of it."""
    centre = chart.plot.mapFromScene(chart.sl_view.mapViewToScene(QPointF(x, sl)))
    return any(
        _near(image.pixelColor(centre.x() + dx, centre.y() + dy), colour, 60)
        for dx in range(-12, 13)
        for dy in (-1, 0, 1)
    )


def test_a_day_with_two_targets_draws_each_over_its_intervals(qtbot: Any) -> None:
    chart = TrafficChart()
    qtbot.addWidget(chart)
    chart.resize(700, 300)
    chart.show()
    none: list[int] = [0, 0, 0]
    chart.set_data(["12:00", "12:30", "13:00"], none, none, none, [None] * 3, [90, 90, 80])
    image = chart.grab().toImage()
    orange = QColor("#e07000")
    assert _line_at(chart, image, 0.0, 90.0, orange)
    assert _line_at(chart, image, 2.0, 80.0, orange)
    assert not _line_at(chart, image, 2.0, 90.0, orange)
    assert not _line_at(chart, image, 0.0, 80.0, orange)
