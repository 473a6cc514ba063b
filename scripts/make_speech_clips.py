"""Make the lab's speech clips: short caller and agent lines in Mandarin and English.

The lab PBX plays them into simulated calls that a supervisor monitors (`cti/lab/sip_audio.py`
picks `<role>-<language>-<n>.wav`). espeak-ng speaks each line (Mandarin with the voice
`cmn-latn-pinyin`, fed pinyin with tone digits — the plain `cmn`/`zh` voices read Chinese
characters as spelled pinyin), its 22,050 Hz output is resampled by sox to 8 kHz mono 16-bit
and normalised to -3 dBFS. Callers and agents get different voice variants.

Idempotent: a manifest (`clips.json`) records what each clip was made from; a clip whose
recipe is unchanged and whose file is a valid 8 kHz mono 16-bit WAV is left alone.
Without espeak-ng or sox it prints why and exits 0: the lab then uses test tones.

Usage: python scripts/make_speech_clips.py [--out DIR] [--force]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import wave
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "resources" / "speech"
MANIFEST = "clips.json"
RATE = 8000

VOICES = {
    ("caller", "zh"): "cmn-latn-pinyin+m3",
    ("agent", "zh"): "cmn-latn-pinyin+f3",
    ("caller", "en"): "en-us+m3",
    ("agent", "en"): "en-us+f3",
}

# (role, language) → lines. Mandarin in pinyin with tone digits (5 = neutral tone).
LINES: dict[tuple[str, str], list[str]] = {
    ("caller", "zh"): [
        # 你好，我家停水了，请问什么时候能恢复？
        "ni3 hao3, wo3 jia1 ting2 shui3 le5, qing3 wen4 shen2 me5 shi2 hou4 neng2 hui1 fu4?",
        # 我家的暖气不热，屋里太冷了。
        "wo3 jia1 de5 nuan3 qi4 bu2 re4, wu1 li3 tai4 leng3 le5.",
        # 我要投诉，这个月的水费太高了。
        "wo3 yao4 tou2 su4, zhe4 ge4 yue4 de5 shui3 fei4 tai4 gao1 le5.",
        # 请问维修工人今天能来吗？
        "qing3 wen4 wei2 xiu1 gong1 ren2 jin1 tian1 neng2 lai2 ma5?",
    ],
    ("agent", "zh"): [
        # 您好，很高兴为您服务，请问有什么可以帮您？
        "nin2 hao3, hen3 gao1 xing4 wei4 nin2 fu2 wu4, "
        "qing3 wen4 you3 shen2 me5 ke3 yi3 bang1 nin2?",
        # 请您稍等，我帮您查一下。
        "qing3 nin2 shao1 deng3, wo3 bang1 nin2 cha2 yi2 xia4.",
        # 您的问题我们已经记录，维修人员会尽快联系您。
        "nin2 de5 wen4 ti2 wo3 men5 yi3 jing1 ji4 lu4, wei2 xiu1 ren2 yuan2 hui4 jin3 kuai4 "
        "lian2 xi4 nin2.",
        # 感谢您的来电，祝您生活愉快，再见。
        "gan3 xie4 nin2 de5 lai2 dian4, zhu4 nin2 sheng1 huo2 yu2 kuai4, zai4 jian4.",
    ],
    ("caller", "en"): [
        "Hello, there has been no water in my apartment since this morning. When will it be fixed?",
        "Hi, I would like to report a leaking pipe in the street in front of my building.",
        "My bill this month is much higher than usual. Could you check it for me, please?",
    ],
    ("agent", "en"): [
        "Good morning, thank you for calling the service hotline. How can I help you?",
        "Please hold on a moment while I check your account.",
        "I have registered your request. A technician will call you back within two hours.",
    ],
}


def clip_name(role: str, language: str, n: int) -> str:
    return f"{role}-{language}-{n}.wav"


def recipe(voice: str, text: str) -> str:
    return hashlib.sha256(f"{voice}\n{text}\n{RATE}\n-3dBFS\nv1".encode()).hexdigest()


def valid_clip(path: Path) -> bool:
    try:
        with wave.open(str(path), "rb") as w:
            return (
                w.getframerate() == RATE
                and w.getnchannels() == 1
                and w.getsampwidth() == 2
                and w.getnframes() > RATE // 2
            )
    except (OSError, EOFError, wave.Error):
        return False


def make_clip(espeak: str, sox: str, voice: str, text: str, target: Path) -> None:
    with tempfile.TemporaryDirectory(prefix="speech-") as tmp:
        raw = Path(tmp) / "raw.wav"
        out = Path(tmp) / "out.wav"
        subprocess.run(
            [espeak, "-v", voice, "-s", "150", "-w", str(raw), text],
            check=True,
            capture_output=True,
        )
        subprocess.run(
            [sox, str(raw), "-r", str(RATE), "-c", "1", "-b", "16", str(out), "gain", "-n", "-3"],
            check=True,
            capture_output=True,
        )
        if not valid_clip(out):
            raise RuntimeError(f"sox produced an unusable clip for {target.name}")
        tmp_target = target.with_suffix(".wav.part")
        shutil.copyfile(out, tmp_target)
        os.replace(tmp_target, target)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output directory")
    parser.add_argument("--force", action="store_true", help="remake every clip")
    args = parser.parse_args(argv)
    espeak = shutil.which("espeak-ng")
    sox = shutil.which("sox")
    missing = [name for name, exe in (("espeak-ng", espeak), ("sox", sox)) if exe is None]
    if missing:
        print(
            f"make_speech_clips: skipped, {' and '.join(missing)} not installed "
            "(the lab PBX plays test tones instead of speech)"
        )
        return 0
    assert espeak is not None and sox is not None
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    manifest_path = out / MANIFEST
    try:
        manifest: dict[str, str] = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        manifest = {}
    made = kept = 0
    for (role, language), lines in LINES.items():
        voice = VOICES[(role, language)]
        for n, text in enumerate(lines, start=1):
            name = clip_name(role, language, n)
            target = out / name
            want = recipe(voice, text)
            if not args.force and manifest.get(name) == want and valid_clip(target):
                kept += 1
                continue
            try:
                make_clip(espeak, sox, voice, text, target)
            except (subprocess.CalledProcessError, RuntimeError, OSError) as exc:
                print(f"make_speech_clips: {name}: {exc}", file=sys.stderr)
                return 1
            manifest[name] = want
            made += 1
    tmp_manifest = manifest_path.with_suffix(".json.part")
    tmp_manifest.write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    os.replace(tmp_manifest, manifest_path)
    print(f"make_speech_clips: {made} clip(s) made, {kept} up to date in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
