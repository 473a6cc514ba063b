"""PDF export of a record through Qt (QTextDocument laid out on a QPdfWriter), no extra library.

Chinese text: Qt embeds the glyphs of whatever font renders each character. The document's
default family is the first CJK-capable family found (Noto Sans CJK, Source Han, Microsoft
YaHei, SimSun, PingFang ...); characters it lacks still fall back through the platform's font
database. Without a display the offscreen platform is used (set before Qt is imported).
Imported only by the PDF path of `audit export`, so the CLI's other paths never load Qt.
"""

from __future__ import annotations

import html
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from db.export import Table, table_rows_text

# Latin text is set in a Latin family first: with Noto Sans CJK as the main font Qt's PDF
# output loses the text layer of digits (they render but pdftotext cannot extract them).
LATIN_FAMILIES = ("DejaVu Sans", "Noto Sans", "Segoe UI", "Arial", "Helvetica")
CJK_FAMILIES = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "Microsoft YaHei",
    "SimSun",
    "PingFang SC",
    "WenQuanYi Micro Hei",
    "Noto Serif CJK SC",
)


def _ensure_platform() -> None:
    if sys.platform.startswith("linux") and not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    ):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def _html(title: str, info: Sequence[tuple[str, str]], tables: Sequence[Table]) -> str:
    out = [
        "<html><head><style>",
        "body { font-size: 8pt; }",
        "h1 { font-size: 14pt; } h2 { font-size: 11pt; margin-top: 12px; }",
        "table { border-collapse: collapse; }",
        "th { background: #dde4ee; text-align: left; }",
        "td, th { border: 1px solid #8899aa; padding: 2px 4px; }",
        "</style></head><body>",
        f"<h1>{html.escape(title)}</h1>",
        "<table>",
    ]
    for key, value in info:
        out.append(f"<tr><th>{html.escape(key)}</th><td>{html.escape(value)}</td></tr>")
    out.append("</table>")
    for table in tables:
        out.append(f"<h2>{html.escape(table.title)} ({len(table.rows)})</h2>")
        if not table.rows:
            out.append("<p>none</p>")
            continue
        out.append('<table width="100%"><tr>')
        out.extend(f"<th>{html.escape(c)}</th>" for c in table.columns)
        out.append("</tr>")
        for row in table_rows_text(table):
            out.append("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>")
        out.append("</table>")
    out.append("</body></html>")
    return "".join(out)


def write_pdf(
    out: Path, title: str, info: Sequence[tuple[str, str]], tables: Sequence[Table]
) -> None:
    """Render the tables to `out` (A4 landscape)."""
    _ensure_platform()
    from PySide6.QtCore import QMarginsF
    from PySide6.QtGui import (
        QFont,
        QFontDatabase,
        QGuiApplication,
        QPageLayout,
        QPageSize,
        QPdfWriter,
        QTextDocument,
    )

    app = QGuiApplication.instance() or QGuiApplication([sys.argv[0] if sys.argv else "audit"])
    families = set(QFontDatabase.families())
    chosen = [f for f in LATIN_FAMILIES if f in families][:1]
    chosen += [f for f in CJK_FAMILIES if f in families][:1]
    writer = QPdfWriter(str(out))
    writer.setTitle(title)
    writer.setCreator("Hotline Supervisor Console")
    writer.setResolution(150)
    writer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Landscape,
            QMarginsF(10, 10, 10, 10),
            QPageLayout.Unit.Millimeter,
        )
    )
    doc = QTextDocument()
    font = QFont()
    if chosen:
        font.setFamilies(chosen)
    # hashes must copy out exactly: no "ff"/"fi" ligature glyphs
    font.setFeature(QFont.Tag("liga"), 0)
    font.setPointSizeF(8.0)
    doc.setDefaultFont(font)
    doc.setHtml(_html(title, info, tables))
    doc.print_(writer)
    del writer  # the file is finished when the writer is destroyed
    del app
