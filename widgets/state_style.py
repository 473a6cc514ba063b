"""How each agent state looks: colour, icon shape and label.

Colour is never the only carrier: every state also has its own icon shape and a text label
(colour-blind supervisors and monochrome screenshots must still read the wall). Colours are
configurable (Settings → colours); these are the defaults, chosen to stay apart in both themes.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPen

STATES = (
    "ready",
    "ringing",
    "talking",
    "on_hold",
    "wrap_up",
    "not_ready",
    "unavailable",
    "logged_out",
)

DEFAULT_COLOURS: dict[str, str] = {
    "ready": "#2e9d52",
    "ringing": "#e0a000",
    "talking": "#2f6fd0",
    "on_hold": "#8a55c8",
    "wrap_up": "#14a0a8",
    "not_ready": "#d0601c",
    "unavailable": "#8e1f1f",
    "logged_out": "#8c9096",
}


def state_label(state: str) -> str:
    """Translated name of a state (glossary terms in zh_CN)."""
    t = QCoreApplication.translate
    labels = {
        "ready": t("AgentState", "Ready"),
        "ringing": t("AgentState", "Ringing"),
        "talking": t("AgentState", "Talking"),
        "on_hold": t("AgentState", "On hold"),
        "wrap_up": t("AgentState", "Wrap-up"),
        "not_ready": t("AgentState", "Not ready"),
        "unavailable": t("AgentState", "Unavailable"),
        "logged_out": t("AgentState", "Logged out"),
    }
    return labels.get(state, state)


def reason_label(reason: str) -> str:
    """Translated pause reason for the common codes; other codes are shown as configured."""
    t = QCoreApplication.translate
    labels = {
        "lunch": t("Reason", "Meal"),
        "meal": t("Reason", "Meal"),
        "break": t("Reason", "Short break"),
        "short_break": t("Reason", "Short break"),
        "training": t("Reason", "Training"),
        "meeting": t("Reason", "Meeting"),
        "restroom": t("Reason", "Restroom"),
    }
    return labels.get(reason.lower(), reason)


def mode_label(mode: str) -> str:
    t = QCoreApplication.translate
    return {
        "listen": t("MonitorMode", "Listen"),
        "whisper": t("MonitorMode", "Whisper"),
        "barge": t("MonitorMode", "Barge"),
        "connecting": t("MonitorMode", "Connecting"),
    }.get(mode, mode)


def draw_state_icon(p: QPainter, state: str, rect: QRectF, colour: QColor) -> None:
    """A distinct vector shape per state, so the state reads without colour."""
    p.save()
    p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    pen = QPen(colour, max(1.5, rect.width() / 8))
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    p.setPen(pen)
    p.setBrush(Qt.BrushStyle.NoBrush)
    r = rect.adjusted(
        rect.width() * 0.12, rect.height() * 0.12, -rect.width() * 0.12, -rect.height() * 0.12
    )
    x, y, w, h = r.x(), r.y(), r.width(), r.height()
    if state == "ready":  # tick
        path = QPainterPath(QPointF(x, y + h * 0.55))
        path.lineTo(x + w * 0.38, y + h * 0.9)
        path.lineTo(x + w, y + h * 0.12)
        p.drawPath(path)
    elif state == "ringing":  # bell: arcs
        p.drawArc(QRectF(x + w * 0.2, y, w * 0.6, h * 0.9), 0, 180 * 16)
        p.drawLine(QPointF(x + w * 0.2, y + h * 0.45), QPointF(x + w * 0.1, y + h * 0.8))
        p.drawLine(QPointF(x + w * 0.8, y + h * 0.45), QPointF(x + w * 0.9, y + h * 0.8))
        p.drawLine(QPointF(x + w * 0.05, y + h * 0.8), QPointF(x + w * 0.95, y + h * 0.8))
        p.drawPoint(QPointF(x + w * 0.5, y + h))
    elif state == "talking":  # speech bubble
        path = QPainterPath()
        path.addRoundedRect(QRectF(x, y, w, h * 0.72), w * 0.2, h * 0.2)
        path.moveTo(x + w * 0.3, y + h * 0.72)
        path.lineTo(x + w * 0.2, y + h)
        path.lineTo(x + w * 0.5, y + h * 0.72)
        p.setBrush(colour)
        p.drawPath(path)
    elif state == "on_hold":  # pause bars
        p.drawLine(QPointF(x + w * 0.3, y), QPointF(x + w * 0.3, y + h))
        p.drawLine(QPointF(x + w * 0.7, y), QPointF(x + w * 0.7, y + h))
    elif state == "wrap_up":  # pencil
        p.drawLine(QPointF(x + w * 0.1, y + h * 0.9), QPointF(x + w * 0.9, y + h * 0.1))
        p.drawLine(QPointF(x + w * 0.05, y + h), QPointF(x + w * 0.35, y + h))
    elif state == "not_ready":  # no-entry sign
        p.drawEllipse(r)
        p.drawLine(QPointF(x + w * 0.25, y + h * 0.5), QPointF(x + w * 0.75, y + h * 0.5))
    elif state == "unavailable":  # cross
        p.drawLine(QPointF(x, y), QPointF(x + w, y + h))
        p.drawLine(QPointF(x + w, y), QPointF(x, y + h))
    else:  # logged out: hollow circle
        p.drawEllipse(r)
    p.restore()
