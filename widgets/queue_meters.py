"""Queue meters: one painted card per queue (plus the "all queues" overview card first) in a
list view, so 200 queues cost one view and one delegate. The longest wait ticks live; the rest
of a card is cached by the row's version like the agent tiles.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import (
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QRectF,
    QSize,
    Qt,
)
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette, QPen, QPixmap
from PySide6.QtWidgets import QListView, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from widgets.agent_tiles import format_duration
from widgets.pixmap_cache import PixmapCache

QUEUE_ROLE = Qt.ItemDataRole.UserRole + 2


@dataclass(slots=True)
class QueueRow:
    key: str
    title: str
    waiting: int = 0
    oldest_join: float | None = None  # join time of the longest-waiting caller (ticks live)
    wait_warn_s: float = 30.0
    wait_alarm_s: float = 60.0
    sl: float | None = None  # 0..1 for the current interval
    sl_target: float = 0.9
    sl_threshold_s: int = 20
    needed: int | None = None  # calls to answer within T to reach the target (None: unreachable)
    asa_s: float | None = None
    abandon: float | None = None  # 0..1
    offered: int = 0
    ready: int = 0
    talking: int = 0
    wrap_up: int = 0
    not_ready: int = 0
    ringing: int = 0
    required: int | None = None  # Erlang C agents required next interval
    staffed: int = 0
    formula: str = ""
    interval: str = ""
    forecast_source: str = ""
    overview: bool = False
    version: int = 0


def _t(text: str) -> str:
    return QCoreApplication.translate("QueueMeter", text)


def sl_colour(row: QueueRow) -> QColor:
    if row.sl is None:
        return QColor("#8c9096")
    if row.sl >= row.sl_target:
        return QColor("#2e9d52")
    if row.sl >= row.sl_target - 0.1:
        return QColor("#e0a000")
    return QColor("#d32f2f")


def wait_colour(row: QueueRow, wait: float, text: QColor) -> QColor:
    if row.waiting == 0:
        return text
    if wait >= row.wait_alarm_s:
        return QColor("#d32f2f")
    if wait >= row.wait_warn_s:
        return QColor("#e07000")
    return text


def projection_text(row: QueueRow) -> str:
    pct = f"{row.sl_target * 100:.0f} %"
    if row.needed is None:
        return _t("target %1 out of reach this interval").replace("%1", pct)
    if row.needed == 0:
        return _t("on target (%1)").replace("%1", pct)
    return (
        _t("next %1 calls within %2 s → %3")
        .replace("%1", str(row.needed))
        .replace("%2", str(row.sl_threshold_s))
        .replace("%3", pct)
    )


def queue_tooltip(row: QueueRow) -> str:
    lines = [
        f"<b>{row.title}</b> — {row.interval}",
        _t("Service level = %1").replace("%1", row.formula or "—"),
        _t("T = %1 s, target %2 %")
        .replace("%1", str(row.sl_threshold_s))
        .replace("%2", f"{row.sl_target * 100:.0f}"),
        _t("A call counts in the interval in which it left the queue."),
        _t("Offered this interval: %1").replace("%1", str(row.offered)),
    ]
    if row.required is not None:
        lines.append(
            _t("Erlang C: %1 agents needed next interval (%2), %3 staffed")
            .replace("%1", str(row.required))
            .replace("%2", row.forecast_source or "—")
            .replace("%3", str(row.staffed))
        )
    return "<br>".join(lines)


class QueueMeterDelegate(QStyledItemDelegate):
    SIZE = QSize(268, 132)

    def __init__(self, now: Callable[[], float], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._now = now
        self._cache = PixmapCache(64)
        base = QFont()
        self.title_font = QFont(base)
        self.title_font.setBold(True)
        self.big_font = QFont(base)
        self.big_font.setBold(True)
        self.big_font.setPointSizeF(base.pointSizeF() * 2.0)
        self.small_font = QFont(base)
        self.small_font.setPointSizeF(base.pointSizeF() * 0.88)
        self._fm_small = QFontMetrics(self.small_font)
        self._fm_title = QFontMetrics(self.title_font)

    def invalidate(self) -> None:
        self._cache.clear()

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        return self.SIZE

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        row: QueueRow | None = index.data(QUEUE_ROLE)
        if row is None:
            return
        rect = option.rect
        dpr = painter.device().devicePixelRatioF()
        dark = option.palette.color(QPalette.ColorRole.Window).lightness() < 128
        key = (row.key, row.version, dark, dpr)
        pm = self._cache.get(row.key, key)
        if pm is None:
            pm = self._render(row, rect.size(), dpr, option.palette)
            self._cache.put(row.key, key, pm)
        painter.drawPixmap(rect.topLeft(), pm)
        # Live part: longest wait.
        wait = (self._now() - row.oldest_join) if (row.waiting and row.oldest_join) else 0.0
        text = option.palette.color(QPalette.ColorRole.Text)
        painter.setFont(self.big_font)
        painter.setPen(wait_colour(row, wait, text))
        painter.drawText(
            QRect(rect.left() + 90, rect.top() + 26, 90, 34),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            format_duration(wait),
        )

    def _counts_font(self, texts: list[str], width: int) -> tuple[QFont, QFontMetrics, float]:
        """The font and gap that fit the state counts in `width`: the overview card of a
        2,000-agent floor has four-digit counts, which the usual spacing would cut off."""
        font, fm = self.small_font, self._fm_small
        dots = 9 * len(texts)
        natural = sum(fm.horizontalAdvance(s) for s in texts) + dots
        slack = width - natural
        gaps = max(1, len(texts) - 1)
        if slack >= 4 * gaps:
            return font, fm, min(12.0, slack / gaps)
        smaller = QFont(font)
        smaller.setPointSizeF(
            font.pointSizeF() * max(0.7, (width - 4 * gaps - dots) / (natural - dots))
        )
        small_fm = QFontMetrics(smaller)
        used = sum(small_fm.horizontalAdvance(s) for s in texts) + dots
        return smaller, small_fm, max(2.0, (width - used) / gaps)

    def _render(self, row: QueueRow, size: QSize, dpr: float, pal: QPalette) -> QPixmap:
        pm = QPixmap(int(size.width() * dpr), int(size.height() * dpr))
        pm.setDevicePixelRatio(dpr)
        pm.fill(pal.color(QPalette.ColorRole.Base))  # opaque: cheap to blit
        p = QPainter(pm)
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        w, h = size.width(), size.height()
        card = QRectF(3, 3, w - 6, h - 6)
        p.setPen(QPen(pal.color(QPalette.ColorRole.Mid), 1.5 if row.overview else 1))
        p.setBrush(
            pal.color(QPalette.ColorRole.AlternateBase if row.overview else QPalette.ColorRole.Base)
        )
        p.drawRoundedRect(card, 6, 6)
        text = pal.color(QPalette.ColorRole.Text)
        muted = QColor(text)
        muted.setAlpha(165)
        left = 12
        # Title + interval
        p.setFont(self.title_font)
        p.setPen(text)
        p.drawText(
            QRect(left, 6, w - 24 - 80, 20),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            self._fm_title.elidedText(row.title, Qt.TextElideMode.ElideRight, w - 24 - 80),
        )
        p.setFont(self.small_font)
        p.setPen(muted)
        p.drawText(
            QRect(w - 92, 6, 80, 20),
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
            row.interval,
        )
        # Waiting (big) and its caption; longest wait is drawn live by paint().
        p.setFont(self.big_font)
        p.setPen(QColor("#d32f2f") if row.waiting >= 5 else text)
        p.drawText(
            QRect(left, 26, 70, 34),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            str(row.waiting),
        )
        p.setFont(self.small_font)
        p.setPen(muted)
        p.drawText(QRect(left, 58, 76, 14), Qt.AlignmentFlag.AlignLeft, _t("waiting"))
        p.drawText(QRect(90, 58, 84, 14), Qt.AlignmentFlag.AlignLeft, _t("longest wait"))
        # SL gauge on the right.
        slc = sl_colour(row)
        sl_text = "—" if row.sl is None else f"{row.sl * 100:.0f}%"
        p.setFont(self.big_font)
        p.setPen(slc)
        p.drawText(
            QRect(w - 92, 26, 80, 34),
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
            sl_text,
        )
        p.setFont(self.small_font)
        p.setPen(muted)
        p.drawText(
            QRect(w - 124, 58, 112, 14),
            Qt.AlignmentFlag.AlignRight,
            _t("SL (target %1%)").replace("%1", f"{row.sl_target * 100:.0f}"),
        )
        # SL bar with target mark
        bar = QRectF(left, 76, w - 2 * left, 6)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(pal.color(QPalette.ColorRole.Midlight))
        p.drawRoundedRect(bar, 3, 3)
        if row.sl is not None:
            p.setBrush(slc)
            p.drawRoundedRect(
                QRectF(bar.x(), bar.y(), bar.width() * max(0.0, min(1.0, row.sl)), 6), 3, 3
            )
        tx = bar.x() + bar.width() * row.sl_target
        p.setPen(QPen(text, 2))
        p.drawLine(int(tx), int(bar.y() - 3), int(tx), int(bar.bottom() + 3))
        # Projection
        p.setPen(muted)
        p.drawText(
            QRect(left, 84, w - 2 * left, 15),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            self._fm_small.elidedText(
                projection_text(row), Qt.TextElideMode.ElideRight, w - 2 * left
            ),
        )
        # Figures line: ASA, abandon %, Erlang
        asa = "—" if row.asa_s is None else f"{row.asa_s:.0f}s"
        ab = "—" if row.abandon is None else f"{row.abandon * 100:.0f}%"
        need = "—" if row.required is None else str(row.required)
        figs = (
            _t("ASA %1").replace("%1", asa)
            + "   "
            + _t("Abandon %1").replace("%1", ab)
            + "   "
            + _t("Need %1 / %2").replace("%1", need).replace("%2", str(row.staffed))
        )
        p.setPen(text)
        p.drawText(
            QRect(left, 99, w - 2 * left, 15),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            self._fm_small.elidedText(figs, Qt.TextElideMode.ElideRight, w - 2 * left),
        )
        # Agents by state as coloured counts (letter + number, not colour alone).
        counts = (
            ("#2e9d52", _t("Rdy"), row.ready),
            ("#2f6fd0", _t("Talk"), row.talking),
            ("#14a0a8", _t("ACW"), row.wrap_up),
            ("#d0601c", _t("NR"), row.not_ready),
            ("#e0a000", _t("Ring"), row.ringing),
        )
        texts = [f"{label} {n}" for _, label, n in counts]
        font, fm, gap = self._counts_font(texts, w - 2 * left)
        p.setFont(font)
        x = float(left)
        for (colour, _, _), s in zip(counts, texts, strict=True):
            sw = fm.horizontalAdvance(s)
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(QColor(colour))
            p.drawEllipse(QRectF(x, 118, 7, 7))
            p.setPen(text)
            p.drawText(
                QRectF(x + 9, 114, sw + 2, 15),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                s,
            )
            x += 9 + sw + gap
        p.end()
        return pm


class QueueMeterView(QListView):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("queueMeters")
        self.setViewMode(QListView.ViewMode.IconMode)
        self.setFlow(QListView.Flow.LeftToRight)
        self.setWrapping(False)
        self.setMovement(QListView.Movement.Static)
        self.setUniformItemSizes(True)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setHorizontalScrollMode(QListView.ScrollMode.ScrollPerPixel)
        self.setSpacing(1)
        self.setFixedHeight(QueueMeterDelegate.SIZE.height() + 12)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
