"""Light and dark themes: a palette (so standard widgets follow) plus a small style sheet for
our own banners. State colours of the tile wall are separate and configurable (they must stay
distinguishable in both themes, and are always paired with an icon and text)."""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QStyleFactory

from console.resources import resource

THEMES = ("light", "dark")


def apply_theme(app: QApplication, theme: str) -> str:
    theme = theme if theme in THEMES else "light"
    style = QStyleFactory.create("Fusion")
    if style is not None:
        app.setStyle(style)
    pal = app.style().standardPalette() if theme == "light" else _dark_palette()
    app.setPalette(pal)
    qss = resource("qss", f"{theme}.qss")
    app.setStyleSheet(qss.read_text(encoding="utf-8") if qss.exists() else "")
    app.setProperty("theme", theme)
    return theme


def _dark_palette() -> QPalette:
    p = QPalette()
    base, window, text = QColor(30, 32, 36), QColor(43, 45, 50), QColor(225, 228, 232)
    p.setColor(QPalette.ColorRole.Window, window)
    p.setColor(QPalette.ColorRole.WindowText, text)
    p.setColor(QPalette.ColorRole.Base, base)
    p.setColor(QPalette.ColorRole.AlternateBase, window)
    p.setColor(QPalette.ColorRole.ToolTipBase, QColor(60, 63, 68))
    p.setColor(QPalette.ColorRole.ToolTipText, text)
    p.setColor(QPalette.ColorRole.Text, text)
    p.setColor(QPalette.ColorRole.Button, window)
    p.setColor(QPalette.ColorRole.ButtonText, text)
    p.setColor(QPalette.ColorRole.Highlight, QColor(58, 110, 165))
    p.setColor(QPalette.ColorRole.HighlightedText, QColor(255, 255, 255))
    p.setColor(QPalette.ColorRole.PlaceholderText, QColor(140, 143, 148))
    p.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text, QColor(120, 123, 128))
    p.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.ButtonText, QColor(120, 123, 128))
    return p
