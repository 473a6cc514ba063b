"""PDF export of a record through Qt (QTextDocument laid out on a QPdfWriter), no extra library.

Chinese text: Qt embeds the glyphs of whatever font renders each character. The document's
families are a Latin one, then the first CJK-capable family found (Noto Sans CJK, Source Han,
Microsoft YaHei, SimSun, PingFang ...); characters they lack still fall back through the
platform's font database. Without a display the offscreen platform is used.

Text layer: Qt's ToUnicode maps give each glyph the lowest code point the font maps to it.
CJK fonts share glyphs between radicals (U+2E80-U+2FDF, e.g. U+2F54 KANGXI RADICAL WATER) and
the ideographs (U+6C34 水), so "服务水平" would copy out of the PDF as "服务⽔平". After writing,
such entries are rewritten to the ideograph of the document that has the same glyph (same
byte length, so the PDF's offsets stay valid).
Imported only by the PDF path of `audit export`, so the CLI's other paths never load Qt.
"""

from __future__ import annotations

import html
import os
import re
import sys
from collections.abc import Callable, Sequence
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
        QRawFont,
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
    cjk = [f for f in chosen if f in CJK_FAMILIES]
    if cjk:
        raw = QRawFont.fromFont(QFont(cjk[0]))
        used = {c for c in doc.toPlainText() if ord(c) >= 0x3400}

        def glyph(text: str) -> list[int]:
            return list(raw.glyphIndexesForString(text))

        _fix_radicals(out, used, glyph)
    del app


_RADICALS = range(0x2E80, 0x2FE0)
_CMAP = re.compile(rb"begin(bfrange|bfchar)(.*?)end(bfrange|bfchar)", re.S)
_HEX4 = re.compile(rb"<([0-9A-Fa-f]{4})>")


def _fix_radicals(pdf: Path, used: set[str], glyph: Callable[[str], list[int]]) -> None:
    """Rewrite radical code points in ToUnicode maps to the document's ideographs."""
    data = pdf.read_bytes()
    by_glyph: dict[tuple[int, ...], str] = {}
    for char in sorted(used):
        by_glyph.setdefault(tuple(glyph(char)), char)
    replacements: dict[bytes, bytes] = {}

    def target(code: bytes) -> bytes | None:
        point = int(code, 16)
        if point not in _RADICALS:
            return None
        if code not in replacements:
            ideograph = by_glyph.get(tuple(glyph(chr(point))))
            if ideograph is None or ord(ideograph) > 0xFFFF:
                return None
            replacements[code] = b"%04X" % ord(ideograph)
        return replacements[code]

    def fix_section(match: re.Match[bytes]) -> bytes:
        def fix(code: re.Match[bytes]) -> bytes:
            new = target(code.group(1))
            return b"<" + new + b">" if new is not None else code.group(0)

        return _HEX4.sub(fix, match.group(0))

    patched = _CMAP.sub(fix_section, data)
    if patched != data:
        pdf.write_bytes(patched)
