"""The agent tile wall: one list view in icon mode, one painting delegate, no widget per agent.

Painting budget: a full repaint of a 1920×1080 wall must stay under ~10 ms. A plain Python
delegate costs ~0.15 ms per tile, so everything that does not change every second (background,
name, state icon and label, caller, queue, badges) is rendered once into a pixmap cached by the
row's version; a paint is then one drawPixmap plus one drawText for the ticking time in state.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QRectF, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QPainter,
    QPalette,
    QPen,
    QPixmap,
    QStaticText,
    QTransform,
)
from PySide6.QtWidgets import QListView, QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from widgets.pixmap_cache import PixmapCache
from widgets.state_style import (
    DEFAULT_COLOURS,
    draw_state_icon,
    mode_label,
    reason_label,
    state_label,
)

ROW_ROLE = Qt.ItemDataRole.UserRole + 1

ALERT_NONE, ALERT_WARN, ALERT_ALARM = 0, 1, 2

# Flag values computed once: combining Qt enum flags costs microseconds per call in PySide6,
# which adds up at ~100 tiles per repaint.
_SELECTED = QStyle.StateFlag.State_Selected
_FOCUSED = QStyle.StateFlag.State_HasFocus
_MARKED = _SELECTED | _FOCUSED
_TEXT_ROLE = QPalette.ColorRole.Text


@dataclass(slots=True)
class TileRow:
    """What one tile shows. `version` changes whenever anything but the clock changes."""

    key: str  # the agent's interface, e.g. PJSIP/1001
    name: str
    ext: str
    state: str
    reason: str = ""
    since: float = 0.0
    caller: str = ""
    queue: str = ""
    calls: int = 0
    monitor_by: str = ""
    monitor_mode: str = ""
    pending: str = ""
    queues: tuple[str, ...] = ()
    team: str = ""
    version: int = 0
    alert: int = ALERT_NONE
    extra: dict[str, object] = field(default_factory=dict)


def format_duration(seconds: float) -> str:
    s = max(0, int(seconds))
    h, rem = divmod(s, 3600)
    m, s = divmod(rem, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m:02d}:{s:02d}"


DENSITIES = {"comfortable": QSize(204, 96), "compact": QSize(156, 62)}


class AgentTileDelegate(QStyledItemDelegate):
    """Paints TileRow tiles. `now` supplies the clock used for the time in state."""

    def __init__(self, now: Callable[[], float], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._now = now
        self.density = "comfortable"
        self.colours = {k: QColor(v) for k, v in DEFAULT_COLOURS.items()}
        self._cache = PixmapCache(800)  # > the tiles a 4K wall shows at once
        self._cards: dict[tuple[object, ...], QPixmap] = {}
        self._fonts()

    def _fonts(self) -> None:
        base = QFont()
        compact = self.density == "compact"
        self.name_font = QFont(base)
        self.name_font.setBold(True)
        self.name_font.setPointSizeF(base.pointSizeF() * (0.95 if compact else 1.05))
        self.small_font = QFont(base)
        self.small_font.setPointSizeF(base.pointSizeF() * (0.8 if compact else 0.88))
        self.time_font = QFont(base)
        self.time_font.setBold(True)
        self.time_font.setPointSizeF(base.pointSizeF() * (0.85 if compact else 0.95))
        self.time_font.setStyleHint(QFont.StyleHint.Monospace)
        self._fm_name = QFontMetrics(self.name_font)
        self._fm_small = QFontMetrics(self.small_font)
        self._time_texts: dict[str, QStaticText] = {}  # laid out in time_font

    def set_density(self, density: str) -> None:
        self.density = density if density in DENSITIES else "comfortable"
        self._fonts()
        self._cache.clear()
        self._cards.clear()

    def set_colours(self, colours: dict[str, str]) -> None:
        self.colours = {k: QColor(colours.get(k, v)) for k, v in DEFAULT_COLOURS.items()}
        self._cache.clear()
        self._cards.clear()

    def invalidate(self) -> None:
        """Drop cached tiles (language, theme or font changed)."""
        self._cache.clear()
        self._cards.clear()

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        return DENSITIES[self.density]

    # -- painting ----------------------------------------------------------------------------
    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        row: TileRow | None = index.data(ROW_ROLE)
        if row is None:
            return
        rect: QRect = option.rect
        dpr = painter.device().devicePixelRatioF()
        dark = option.palette.color(QPalette.ColorRole.Window).lightness() < 128
        key = (
            row.key,
            row.version,
            row.alert,
            self.density,
            dark,
            dpr,
            rect.width(),
            rect.height(),
        )
        pm = self._cache.get(row.key, key)
        if pm is None:
            pm = self._render(row, rect.size(), dpr, dark, option.palette)
            self._cache.put(row.key, key, pm)
        painter.drawPixmap(rect.topLeft(), pm)
        # The only per-second part: time in state, as laid-out text (QStaticText) shared by
        # every tile showing the same time, which saves most of a drawText per tile.
        painter.setFont(self.time_font)
        painter.setPen(option.palette.color(_TEXT_ROLE))
        text = self._time_text(format_duration(self._now() - row.since))
        tr = self._time_rect(rect)
        size = text.size()
        painter.drawStaticText(
            int(tr.right() + 1 - size.width()), int(tr.center().y() - size.height() / 2), text
        )
        state = option.state
        if not state & _MARKED:
            return
        if state & _SELECTED:
            pen = QPen(option.palette.color(QPalette.ColorRole.Highlight), 3)
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(QRectF(rect).adjusted(2.5, 2.5, -2.5, -2.5), 6, 6)
        if state & _FOCUSED:
            pen = QPen(option.palette.color(QPalette.ColorRole.Text), 1, Qt.PenStyle.DotLine)
            painter.setPen(pen)
            painter.drawRoundedRect(QRectF(rect).adjusted(5.5, 5.5, -5.5, -5.5), 4, 4)

    def _time_text(self, value: str) -> QStaticText:
        text = self._time_texts.get(value)
        if text is None:
            if len(self._time_texts) >= 4096:
                self._time_texts.clear()
            text = QStaticText(value)
            text.setTextFormat(Qt.TextFormat.PlainText)
            text.prepare(QTransform(), self.time_font)
            self._time_texts[value] = text
        return text

    def _card(
        self, colour: QColor, alert: int, size: QSize, dpr: float, dark: bool, pal: QPalette
    ) -> QPixmap:
        key = (colour.rgba(), alert, size.width(), size.height(), dpr, dark)
        card_pm = self._cards.get(key)
        if card_pm is not None:
            return card_pm
        w, h = size.width(), size.height()
        card_pm = QPixmap(int(w * dpr), int(h * dpr))
        card_pm.setDevicePixelRatio(dpr)
        card_pm.fill(pal.color(QPalette.ColorRole.Base))
        p = QPainter(card_pm)
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        card = QRectF(3, 3, w - 6, h - 6)
        base = QColor(pal.color(QPalette.ColorRole.AlternateBase))
        a = 0.24 if dark else 0.13
        tint = QColor.fromRgbF(
            base.redF() * (1 - a) + colour.redF() * a,
            base.greenF() * (1 - a) + colour.greenF() * a,
            base.blueF() * (1 - a) + colour.blueF() * a,
        )
        if alert:
            border = QPen(QColor("#d32f2f") if alert == ALERT_ALARM else QColor("#f08c00"), 3)
            card = card.adjusted(1.5, 1.5, -1.5, -1.5)
        else:
            border = QPen(pal.color(QPalette.ColorRole.Mid), 1)
        p.setPen(border)
        p.setBrush(tint)
        p.drawRoundedRect(card, 6, 6)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(colour)
        p.drawRoundedRect(QRectF(4, 4, 6, h - 8), 3, 3)
        p.end()
        self._cards[key] = card_pm
        return card_pm

    def _time_rect(self, rect: QRect) -> QRect:
        if self.density == "compact":
            return QRect(rect.right() - 62, rect.top() + 24, 54, 18)
        return QRect(rect.right() - 70, rect.top() + 30, 62, 20)

    def _render(self, row: TileRow, size: QSize, dpr: float, dark: bool, pal: QPalette) -> QPixmap:
        colour = self.colours.get(row.state, QColor("#888888"))
        # The card (rounded, tinted, bordered) depends only on state colour, alert, size and
        # theme: antialiased rounded rects cost ~0.25 ms each, so cards are drawn once and
        # copied. The pixmap is opaque (view background at the corners): blitting it skips
        # alpha blending, which is most of the cost of a full-wall repaint.
        pm = self._card(colour, row.alert, size, dpr, dark, pal).copy()
        p = QPainter(pm)
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        p.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
        w, h = size.width(), size.height()

        text = pal.color(QPalette.ColorRole.Text)
        muted = QColor(text)
        muted.setAlpha(170)
        compact = self.density == "compact"
        left = 14
        right = w - 8
        # Row 1: name + extension.
        p.setFont(self.small_font)
        ext_w = self._fm_small.horizontalAdvance(row.ext) + 2
        p.setPen(muted)
        p.drawText(
            QRect(right - ext_w, 6, ext_w, 20),
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
            row.ext,
        )
        p.setFont(self.name_font)
        p.setPen(text)
        name = self._fm_name.elidedText(
            row.name, Qt.TextElideMode.ElideRight, right - ext_w - left - 4
        )
        p.drawText(
            QRect(left, 5, right - ext_w - left - 4, 22),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            name,
        )
        # Row 2: icon + state (+ reason / pending); the time is drawn live on top.
        y2 = 24 if compact else 30
        icon = QRectF(left, y2 + 1, 16, 16)
        draw_state_icon(p, row.state, icon, colour.darker(115) if not dark else colour.lighter(130))
        label = state_label(row.state)
        if row.pending:
            label += f" → {state_label(row.pending)}"
        p.setFont(self.small_font)
        p.setPen(text)
        avail = right - 64 - (left + 20)
        p.drawText(
            QRect(left + 20, y2, avail, 18),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            self._fm_small.elidedText(label, Qt.TextElideMode.ElideRight, avail),
        )
        # Row 3: caller and queue while on a call, otherwise calls today.
        y3 = 41 if compact else 52
        p.setPen(muted)
        if row.caller or row.queue:
            line3 = " · ".join(x for x in (row.caller, row.queue) if x)
        elif row.state == "not_ready" and row.reason:
            line3 = reason_label(row.reason)
            p.setPen(text)
        else:
            line3 = _calls_text(row.calls)
        p.drawText(
            QRect(left, y3, right - left, 16),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            self._fm_small.elidedText(line3, Qt.TextElideMode.ElideRight, right - left),
        )
        # Row 4 (comfortable) / corner (compact): monitoring badge.
        if row.monitor_mode:
            badge = mode_label(row.monitor_mode)
            if row.monitor_by and not compact:
                badge += f" · {row.monitor_by}"
            bw = min(self._fm_small.horizontalAdvance(badge) + 14, w - 20)
            if compact:
                br = QRectF(right - bw, h - 20, bw, 15)
            else:
                br = QRectF(right - bw, h - 24, bw, 17)
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(QColor("#1f5fa8"))
            p.drawRoundedRect(br, 7, 7)
            p.setPen(QColor("white"))
            p.drawText(
                br,
                Qt.AlignmentFlag.AlignCenter,
                self._fm_small.elidedText(badge, Qt.TextElideMode.ElideRight, int(bw) - 8),
            )
        elif not compact and (row.caller or row.queue or row.reason):
            p.setPen(muted)
            p.drawText(
                QRect(left, h - 26, right - left, 18),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                _calls_text(row.calls),
            )
        p.end()
        return pm


def _calls_text(calls: int) -> str:
    from PySide6.QtCore import QCoreApplication

    return QCoreApplication.translate("AgentTile", "%n call(s) today", "", calls)


class AgentTileView(QListView):
    """The wall: icon mode, uniform tiles, batched layout; keyboard navigable."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("agentTileWall")
        self.setViewMode(QListView.ViewMode.IconMode)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setMovement(QListView.Movement.Static)
        self.setUniformItemSizes(True)
        self.setLayoutMode(QListView.LayoutMode.Batched)
        self.setBatchSize(500)
        self.setSpacing(2)
        self.setWrapping(True)
        self.setSelectionMode(QListView.SelectionMode.ExtendedSelection)
        self.setMouseTracking(False)
        self.setVerticalScrollMode(QListView.ScrollMode.ScrollPerPixel)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
