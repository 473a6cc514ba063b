"""Finds text that does not fit its widget (clipped labels and buttons) in a shown window.

The self-check prints what it finds, and the screenshot tests fail on it, in both languages:
Chinese and English strings differ a lot in width, and a clipped button label is the most
common translation bug.
"""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractButton, QComboBox, QLabel, QPushButton, QWidget


def clipped_texts(root: QWidget) -> list[str]:
    found: list[str] = []
    for w in root.findChildren(QWidget):
        if not w.isVisible() or w.width() <= 1:
            continue
        fm = w.fontMetrics()
        if isinstance(w, QLabel):
            text = w.text()
            if w.buddy() is not None:
                text = text.replace("&&", "\0").replace("&", "").replace("\0", "&")
            if not text or w.wordWrap() or "<" in text:
                continue
            need = max(fm.horizontalAdvance(line) for line in text.splitlines() or [""])
            room = w.contentsRect().width() - 2 * w.margin()
            if need > room + 1:
                found.append(f"label {w.objectName() or text!r}: needs {need}px, has {room}px")
        elif isinstance(w, QAbstractButton):
            text = w.text().replace("&", "")
            if not text:
                continue
            has_menu = isinstance(w, QPushButton) and w.menu() is not None
            extra = 8 + (16 if has_menu else 0)
            need = fm.horizontalAdvance(text) + extra
            if need > w.width() + 1:
                found.append(f"button {text!r}: needs {need}px, has {w.width()}px")
        elif isinstance(w, QComboBox):
            text = w.currentText()
            need = fm.horizontalAdvance(text) + 28
            if text and need > w.width() + 1:
                found.append(f"combo {text!r}: needs {need}px, has {w.width()}px")
    return found
