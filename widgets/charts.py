"""pyqtgraph charts: the traffic chart (offered / answered / abandoned per interval with the
service level and its target on a second axis) and the state timeline (a Gantt of agents'
state segments, used by the agent detail panel and the review window).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from datetime import datetime, tzinfo

import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, QEvent, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QCursor,
    QPainter,
    QPaintEvent,
    QPen,
    QPicture,
    QPixmap,
    QResizeEvent,
)
from PySide6.QtWidgets import QLabel, QToolTip, QVBoxLayout, QWidget

from widgets.agent_tiles import format_duration
from widgets.segments import Segment
from widgets.state_style import DEFAULT_COLOURS, STATES, reason_label, state_label

pg.setConfigOptions(antialias=True, background=None)


def _t(text: str) -> str:
    return QCoreApplication.translate("Charts", text)


class TrafficChart(QWidget):
    """Per-interval bars and an SL line. `set_data` replaces everything (cheap: ≤ 96 intervals).

    The plot is rendered into a pixmap when its data, size or language change, and the widget
    paints that pixmap: a live pyqtgraph repaint of a full-width chart costs ~50 ms on the GUI
    thread, and the floor repaints around it several times a second.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("trafficChart")
        self._pixmap: QPixmap | None = None
        self._dirty = True
        self.plot = pg.PlotWidget(self)
        self.plot.hide()
        self.plot.setMenuEnabled(False)
        self.plot.setMouseEnabled(x=False, y=False)
        self.plot.hideButtons()
        self.plot.showGrid(y=True, alpha=0.2)
        self.legend = self.plot.addLegend(offset=(-10, 2), colCount=4)
        self.sl_view = pg.ViewBox()
        self.sl_view.setMouseEnabled(x=False, y=False)
        pi = self.plot.getPlotItem()
        pi.showAxis("right")
        pi.scene().addItem(self.sl_view)
        # Above the plot (and so above the bars): the SL of an interval drawn behind its own
        # bars would vanish, and with one interval so would the whole line. The legend goes
        # over both, on a backing of the window's colour, so the line never runs through it.
        self.sl_view.setZValue(pi.zValue() + 1)
        self.legend.setParentItem(self.sl_view)
        self.legend.anchor(itemPos=(1, 0), parentPos=(1, 0), offset=(-10, 2))
        self.legend.setZValue(10)
        self._legend_backing()
        pi.getAxis("right").linkToView(self.sl_view)
        self.sl_view.setXLink(pi)
        # A band above 100 % (and above the tallest bar) holds the legend, so that it never
        # covers a figure; the right axis still counts to 100 %.
        self.sl_view.setYRange(0, 100 * _HEADROOM, padding=0)
        pi.getAxis("right").setTicks([[(v, str(v)) for v in range(0, 101, 20)]])
        pi.getViewBox().sigResized.connect(self._sync_views)
        self._items: list[pg.GraphicsObject] = []
        # The legend is built once from sample items; set_data only swaps the plotted items.
        self._legend_samples = [
            pg.BarGraphItem(x=[0], height=[0], width=0.1, brush=QColor(c), pen=pg.mkPen(None))
            for c in ("#8c9096", "#2e9d52", "#d32f2f")
        ]
        self._legend_samples.append(pg.PlotDataItem([], [], pen=pg.mkPen("#2f6fd0", width=2)))
        self.retranslate()

    def _legend_backing(self) -> None:
        backing = QColor(self.palette().window().color())
        backing.setAlpha(215)
        self.legend.setBrush(pg.mkBrush(backing))

    def _invalidate(self) -> None:
        self._dirty = True
        self.update()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._invalidate()

    def paintEvent(self, event: QPaintEvent) -> None:
        if self._dirty or self._pixmap is None or self._pixmap.size() != self.size():
            self.plot.resize(self.size())
            self._sync_views()
            self._pixmap = self.plot.grab()
            self._dirty = False
        p = QPainter(self)
        p.drawPixmap(0, 0, self._pixmap)
        p.end()

    def retranslate(self) -> None:
        pi = self.plot.getPlotItem()
        pi.setLabel("left", _t("calls"))
        pi.setLabel("right", _t("service level %"))
        self.legend.clear()
        names = (_t("offered"), _t("answered"), _t("abandoned"), _t("service level"))
        for item, name in zip(self._legend_samples, names, strict=True):
            self.legend.addItem(item, name)
        self._invalidate()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange:  # a theme switch
            self._legend_backing()
            self._invalidate()
        super().changeEvent(event)

    def _sync_views(self) -> None:
        pi = self.plot.getPlotItem()
        self.sl_view.setGeometry(pi.getViewBox().sceneBoundingRect())
        self.sl_view.linkedViewChanged(pi.getViewBox(), self.sl_view.XAxis)

    def set_data(
        self,
        labels: Sequence[str],
        offered: Sequence[int],
        answered: Sequence[int],
        abandoned: Sequence[int],
        sl_percent: Sequence[float | None],
        target_percent: float | Sequence[float],
    ) -> None:
        """`target_percent`: one target, or one per interval (a past day whose definitions
        changed: drawn as steps)."""
        pi = self.plot.getPlotItem()
        for item in self._items:
            if (
                item.scene() is self.sl_view.scene()
                and item.parentItem() is self.sl_view.childGroup
            ):
                self.sl_view.removeItem(item)
            else:
                pi.removeItem(item)
        self._items.clear()
        n = len(labels)
        xs = list(range(n))
        width = 0.26
        for offset, values, colour in (
            (-width, offered, "#8c9096"),
            (0.0, answered, "#2e9d52"),
            (width, abandoned, "#d32f2f"),
        ):
            bars = pg.BarGraphItem(
                x=[x + offset for x in xs],
                height=list(values),
                width=width * 0.95,
                brush=QColor(colour),
                pen=pg.mkPen(None),
            )
            pi.addItem(bars)
            self._items.append(bars)
        pts = [(x, v) for x, v in zip(xs, sl_percent, strict=True) if v is not None]
        sl_line = pg.PlotDataItem(
            [p[0] for p in pts],
            [p[1] for p in pts],
            pen=pg.mkPen("#2f6fd0", width=2),
            symbol="o",
            symbolSize=8,
            symbolBrush="#2f6fd0",
            symbolPen=pg.mkPen("#ffffff", width=1.5),  # stands out on a bar, too
        )
        target_pen = pg.mkPen("#e07000", width=1.5, style=Qt.PenStyle.DashLine)
        targets = list(target_percent) if isinstance(target_percent, Sequence) else [target_percent]
        target: pg.GraphicsObject
        if len(set(targets)) > 1 and len(targets) == n:
            edges = [x - 0.5 for x in xs] + [n - 0.5]
            target = pg.PlotDataItem(edges, targets, stepMode="center", pen=target_pen)
        else:
            target = pg.InfiniteLine(pos=targets[0] if targets else 0.0, angle=0, pen=target_pen)
        self.sl_view.addItem(sl_line)
        self.sl_view.addItem(target)
        self._items += [sl_line, target]
        ticks = [(i, lab) for i, lab in enumerate(labels) if n <= 12 or i % max(1, n // 12) == 0]
        pi.getAxis("bottom").setTicks([ticks])
        top = max([*offered, *answered, *abandoned, 1])
        pi.setYRange(0, top * _HEADROOM, padding=0)
        pi.setXRange(-0.6, max(n - 0.4, 0.6), padding=0)
        self._sync_views()
        self._invalidate()


_HEADROOM = 1.3  # plot height over the largest figure: the legend's band at the top
_BAR_HALF = 0.38  # half a timeline bar's height, in rows


class _SegmentsItem(pg.GraphicsObject):
    """Draws all segments of all rows into one QPicture (fast for thousands of segments)."""

    def __init__(self, rows: Sequence[Sequence[Segment]], colours: dict[str, str]) -> None:
        super().__init__()
        self._picture = QPicture()
        p = QPainter(self._picture)
        p.setPen(QPen(Qt.PenStyle.NoPen))
        x0, x1 = float("inf"), float("-inf")
        for y, segs in enumerate(rows):
            for s in segs:
                p.setBrush(QColor(colours.get(s.state, "#888888")))
                p.drawRect(QRectF(s.start, y - _BAR_HALF, max(s.end - s.start, 0.5), 2 * _BAR_HALF))
                x0, x1 = min(x0, s.start), max(x1, s.end)
        p.end()
        self._bounds = (
            QRectF(x0, -0.5, max(x1 - x0, 1.0), max(len(rows), 1))
            if rows and x1 > x0
            else QRectF(0, 0, 1, 1)
        )

    def paint(self, p: QPainter, *args: object) -> None:
        p.drawPicture(0, 0, self._picture)

    def boundingRect(self) -> QRectF:
        return self._bounds


def _clock(ts: float, zone: tzinfo | None) -> str:
    return datetime.fromtimestamp(ts, zone).strftime("%H:%M:%S")


def segment_text(label: str, segment: Segment, zone: tzinfo | None = None) -> str:
    """What hovering a stretch of a timeline says: who, state (reason), from-to (how long),
    in clock times of `zone` (None: this PC's)."""
    state = state_label(segment.state)
    if segment.reason:
        state += f" ({reason_label(segment.reason)})"
    return (
        f"{label}: {state}\n{_clock(segment.start, zone)}–{_clock(segment.end, zone)} "
        f"({format_duration(segment.end - segment.start)})"
    )


class StateTimeline(QWidget):
    """A Gantt of state segments; x is wall-clock time (date axis), one row per agent.

    A legend names the colours shown (colour is never the only carrier), and hovering a
    stretch tells its state, reason, times and length.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("stateTimeline")
        self.plot = pg.PlotWidget(axisItems={"bottom": pg.DateAxisItem()})
        self.plot.setMenuEnabled(False)
        self.plot.hideButtons()
        self.plot.setMouseEnabled(x=True, y=False)
        # the first agent on top, read downwards like the list it pages through
        self.plot.getPlotItem().invertY(True)
        self.plot.scene().sigMouseMoved.connect(self._on_mouse_moved)
        self._item: _SegmentsItem | None = None
        self._labels: list[str] = []
        self._rows: list[list[Segment]] = []
        self._starts: list[list[float]] = []
        self.zone: tzinfo | None = None
        self.colours = dict(DEFAULT_COLOURS)
        self.legend = QLabel()
        self.legend.setObjectName("timelineLegend")
        self.legend.setWordWrap(True)
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.plot, 1)
        lay.addWidget(self.legend)

    def segment_at(self, x: float, y: float) -> tuple[str, Segment] | None:
        """The row label and segment at plot coordinates (x: epoch seconds, y: row)."""
        row = round(y)
        if not 0 <= row < len(self._rows) or abs(y - row) > _BAR_HALF:
            return None
        i = bisect_right(self._starts[row], x) - 1
        if i < 0 or x >= self._rows[row][i].end:
            return None
        return self._labels[row], self._rows[row][i]

    def _on_mouse_moved(self, pos: QPointF) -> None:
        point = self.plot.getPlotItem().vb.mapSceneToView(pos)
        found = self.segment_at(point.x(), point.y())
        if found is None:
            QToolTip.hideText()
            return
        QToolTip.showText(QCursor.pos(), segment_text(*found, self.zone), self.plot)

    def _update_legend(self) -> None:
        shown = {s.state for segs in self._rows for s in segs}
        self.legend.setText(
            "&nbsp;&nbsp;&nbsp;".join(
                f'<span style="color:{self.colours.get(state, "#888888")}">■</span>&nbsp;'
                f"{state_label(state)}"
                for state in STATES
                if state in shown
            )
        )

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._update_legend()
        super().changeEvent(event)

    def set_zone(self, zone: tzinfo | None, at: float) -> None:
        """Show clock times of `zone` (None: this PC's); its UTC offset at `at` labels the
        axis (the day shown: a day with a DST change is labelled with one offset)."""
        self.zone = zone
        offset = None if zone is None else datetime.fromtimestamp(at, zone).utcoffset()
        axis = self.plot.getPlotItem().getAxis("bottom")
        # pyqtgraph counts the offset the other way round (seconds to add to reach UTC)
        axis.utcOffset = None if offset is None else -int(offset.total_seconds())
        axis.picture = None
        axis.update()

    def set_rows(self, labels: Sequence[str], rows: Sequence[Sequence[Segment]]) -> None:
        self._labels = list(labels)
        self._rows = [sorted(segs, key=lambda s: s.start) for segs in rows]
        self._starts = [[s.start for s in segs] for segs in self._rows]
        self._update_legend()
        pi = self.plot.getPlotItem()
        if self._item is not None:
            pi.removeItem(self._item)
        self._item = _SegmentsItem(rows, self.colours)
        pi.addItem(self._item)
        pi.getAxis("left").setTicks([[(i, lab) for i, lab in enumerate(labels)]])
        pi.setYRange(-0.6, max(len(labels), 1) - 0.4, padding=0)
        b = self._item.boundingRect()
        pi.setXRange(b.left(), b.right(), padding=0.01)
