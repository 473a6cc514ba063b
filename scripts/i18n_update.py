"""Developer tool: refresh resources/i18n/*.ts from the sources and apply the translation
memory, then report what is still untranslated in zh_CN.

- pyside6-lupdate extracts `self.tr(...)` and `QCoreApplication.translate("Ctx", "...")`.
- Modules that translate through a small helper (`def _t(text): return
  QCoreApplication.translate("Ctx", text)`, or `t("Ctx", "...")`) are scanned here too, since
  lupdate does not follow helpers.
- resources/i18n/zh_CN.tsv ("source<TAB>translation", \n for line breaks) is the translation
  memory; it is applied to every message with that source text in any context.
"""

from __future__ import annotations

import argparse
import re
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


_HELPER_CTX = re.compile(
    r'def (_t|_tr)\(text: str\) -> str:\s*\n\s*return QCoreApplication\.translate\("(\w+)", text\)'
)
_STR = r'"((?:[^"\\]|\\.)*)"'


def helper_messages() -> dict[str, set[str]]:
    """Messages translated through `_t(...)` helpers and `t("Ctx", ...)` aliases."""
    found: dict[str, set[str]] = {}
    for rel in sources():
        text = (ROOT / rel).read_text(encoding="utf-8")
        m = _HELPER_CTX.search(text)
        if m:
            name, ctx = m.group(1), m.group(2)
            for s in re.findall(rf"\b{name}\(\s*{_STR}", text):
                found.setdefault(ctx, set()).add(s.replace('\\"', '"').replace("\\n", "\n"))
        for ctx, s in re.findall(rf"\bt\(\s*\"(\w+)\",\s*{_STR}", text):
            found.setdefault(ctx, set()).add(s.replace('\\"', '"').replace("\\n", "\n"))
    return found


def add_helper_messages(ts: Path) -> None:
    tree = ET.parse(ts)
    root = tree.getroot()
    contexts = {c.findtext("name"): c for c in root.iter("context")}
    for ctx, texts in sorted(helper_messages().items()):
        c = contexts.get(ctx)
        if c is None:
            c = ET.SubElement(root, "context")
            ET.SubElement(c, "name").text = ctx
            contexts[ctx] = c
        have = {m.findtext("source") for m in c.iter("message")}
        for text in sorted(texts - have):
            m = ET.SubElement(c, "message")
            if "%n" in text:
                m.set("numerus", "yes")
            ET.SubElement(m, "source").text = text
            tr = ET.SubElement(m, "translation")
            tr.set("type", "unfinished")
    tree.write(ts, encoding="utf-8", xml_declaration=True)


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
            if "%n" in src:
                msg.set("numerus", "yes")
                for child in list(tr):
                    tr.remove(child)
                tr.text = None
                ET.SubElement(tr, "numerusform").text = table[src]
            else:
                tr.text = table[src]
            tr.attrib.pop("type", None)
            n += 1
    tree.write(ts, encoding="utf-8", xml_declaration=True)
    return n


def untranslated() -> list[str]:
    tree = ET.parse(I18N / "console_zh_CN.ts")
    return sorted(
        {
            (m.findtext("source") or "")
            for m in tree.iter("message")
            if (t := m.find("translation")) is not None
            and (t.get("type") == "unfinished" or not (t.text or t.findtext("numerusform")))
        }
    )


def fill_english_plurals() -> None:
    """English numerus forms: sources say "call(s)"; the .qm gives "1 call" / "2 calls"."""
    ts = I18N / "console_en.ts"
    tree = ET.parse(ts)
    for msg in tree.iter("message"):
        tr = msg.find("translation")
        src = msg.findtext("source") or ""
        if "%n" not in src or tr is None:
            continue
        msg.set("numerus", "yes")
        for child in list(tr):
            tr.remove(child)
        tr.text = None
        ET.SubElement(tr, "numerusform").text = re.sub(r"\((\w+)\)", "", src)
        ET.SubElement(tr, "numerusform").text = re.sub(r"\((\w+)\)", r"\1", src)
        tr.attrib.pop("type", None)
    tree.write(ts, encoding="utf-8", xml_declaration=True)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--fill", type=Path, default=I18N / "zh_CN.tsv")
    args = ap.parse_args()
    lupdate()
    for lang in LANGS:
        add_helper_messages(I18N / f"console_{lang}.ts")
    fill_english_plurals()
    if args.fill.exists():
        print(f"filled {fill(args.fill)} translations")
    missing = untranslated()
    print(f"zh_CN untranslated: {len(missing)}")
    for m in missing:
        print("  " + m.replace("\n", "\\n"))


if __name__ == "__main__":
    main()
