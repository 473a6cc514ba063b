"""Queue cards as a supervisor reads them: every figure whole, on a 2,000-agent floor too."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtGui import QColor, QImage, QPalette

from console.floor_models import QueueMeterModel
from widgets.queue_meters import QueueMeterDelegate, QueueMeterView, QueueRow

pytestmark = [pytest.mark.gui, pytest.mark.timeout(60)]

RING_AMBER = QColor("#e0a000")
COUNTS_BAND = range(114, 127)  # the card's last line (agents by state), above its corner


@pytest.fixture(params=["en", "zh_CN"])
def language(request: pytest.FixtureRequest, qapp: Any) -> Iterator[str]:
    from console.i18n import Translations

    translations = Translations(qapp)
    assert translations.apply(request.param) == request.param
    yield request.param
    translations.apply("en")


def _card(qtbot: Any, row: QueueRow) -> tuple[QImage, int, int, QColor]:
    """The rendered card: image, its left and top edge, and its background colour."""
    model = QueueMeterModel()
    view = QueueMeterView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.setItemDelegate(QueueMeterDelegate(time.time, view))
    view.resize(600, view.height())
    model.reset_rows([row])
    view.show()
    rect = view.visualRect(model.index(0))
    image = view.viewport().grab().toImage()
    role = QPalette.ColorRole.AlternateBase if row.overview else QPalette.ColorRole.Base
    return image, rect.left(), rect.top(), view.palette().color(role)


def _distance(a: QColor, b: QColor) -> int:
    return sum(abs(x - y) for x, y in zip(a.getRgb()[:3], b.getRgb()[:3], strict=True))


def _is_ink(colour: QColor, background: QColor) -> bool:
    return _distance(colour, background) > 90


@pytest.mark.parametrize(
    "counts",
    [
        (1814, 168, 0, 0, 18),  # the overview of the 2,000-agent preset
        (1999, 1999, 1999, 1999, 1999),  # the widest a 2,000-agent floor can make it
        (17, 3, 0, 0, 0),  # a queue card: the usual size and spacing
    ],
)
def test_agents_by_state_fit_the_card(qtbot: Any, language: str, counts: tuple[int, ...]) -> None:
    ready, talking, wrap_up, not_ready, ringing = counts
    row = QueueRow(
        key="*",
        title="All queues",
        ready=ready,
        talking=talking,
        wrap_up=wrap_up,
        not_ready=not_ready,
        ringing=ringing,
        staffed=sum(counts),
        overview=True,
    )
    image, left, top, background = _card(qtbot, row)
    band = [top + y for y in COUNTS_BAND]
    # Nothing is drawn in the card's right margin, inside its border (where a cut-off count
    # used to end) ...
    for y in band:
        for x in range(left + 257, left + 263):
            assert not _is_ink(image.pixelColor(x, y), background), (language, counts, x, y)
    # ... and the last count, ringing, is there: its amber dot, with its number after it.
    amber = [
        x
        for x in range(left, left + 263)
        for y in band
        if _distance(image.pixelColor(x, y), RING_AMBER) <= 60
    ]
    assert amber, (language, counts)
    ink_after = [
        x
        for x in range(max(amber) + 3, left + 257)
        for y in band
        if _is_ink(image.pixelColor(x, y), background)
    ]
    # "Ring 1999" / "振铃 1999": label and number take far more than a few pixels
    assert ink_after and max(ink_after) - min(ink_after) > 25, (language, counts)
