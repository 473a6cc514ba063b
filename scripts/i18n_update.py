"""Developer tool: refresh resources/i18n/*.ts from the sources (pyside6-lupdate), keeping
existing translations, then report what is still untranslated in zh_CN.

Translators edit the .ts files (Qt Linguist: `.venv/bin/pyside6-linguist`); setup builds .qm.
`--fill FILE.tsv` merges "source<TAB>translation" lines into the zh_CN file (bulk entry).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
I18N = ROOT / "resources" / "i18n"
LANGS = ("zh_CN", "en")


def sources() -> list[str]:
    out = []
    for d in ("console", "widgets"):
        out += [str(p.relative_to(ROOT)) for p in sorted((ROOT / d).rglob("*.py"))]
    return out


def lupdate() -> None:
    exe = Path(sys.executable).parent / "pyside6-lupdate"
    for lang in LANGS:
        ts = I18N / f"console_{lang}.ts"
        subprocess.run(
            [
                str(exe),
                "-silent",
                "-no-obsolete",
                *sources(),
                "-target-language",
                lang,
                "-ts",
                str(ts),
            ],
            cwd=ROOT,
            check=True,
        )


def fill(tsv: Path) -> int:
    table = {}
    for line in tsv.read_text(encoding="utf-8").splitlines():
        if "\t" in line:
            src, dst = line.split("\t", 1)
            table[src.replace("\\n", "\n")] = dst.replace("\\n", "\n")
    ts = I18N / "console_zh_CN.ts"
    tree = ET.parse(ts)
    n = 0
    for msg in tree.iter("message"):
        src = msg.findtext("source") or ""
        tr = msg.find("translation")
        if tr is not None and src in table:
            tr.text = table[src]
            tr.attrib.pop("type", None)
            n += 1
    tree.write(ts, encoding="utf-8", xml_declaration=True)
    return n


def untranslated() -> list[str]:
    tree = ET.parse(I18N / "console_zh_CN.ts")
    return [
        (m.findtext("source") or "")
        for m in tree.iter("message")
        if (t := m.find("translation")) is not None
        and (t.get("type") == "unfinished" or not t.text)
    ]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--fill", type=Path)
    args = ap.parse_args()
    lupdate()
    if args.fill:
        print(f"filled {fill(args.fill)} translations")
    missing = untranslated()
    print(f"zh_CN untranslated: {len(missing)}")
    for m in missing:
        print("  " + m.replace("\n", "\\n"))


if __name__ == "__main__":
    main()
