"""Alarm tone generation and playback through PortAudio on ALSA's `file` plugin.

PortAudio enumerates devices when it is loaded, so playback runs in a subprocess whose
ALSA_CONFIG_PATH adds an `.asoundrc`-style file: `alarmspk` (plug → file → null) writes what
it plays as raw S16_LE mono 48 kHz; we then look for the alert's frequency in that file.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from cti.alarms import Severity, sound
from cti.alarms.sound import PATTERNS, NoOutputDeviceError, alert_tone

REPO = Path(__file__).resolve().parents[2]
ALSA_BASE = Path("/usr/share/alsa/alsa.conf")


def dominant_hz(samples: np.ndarray, rate: int) -> float:
    spectrum = np.abs(np.fft.rfft(samples * np.hanning(samples.size)))
    return float(np.fft.rfftfreq(samples.size, 1 / rate)[int(np.argmax(spectrum))])


@pytest.mark.parametrize("severity", list(Severity))
def test_alert_tone_pattern_length_level_and_pitch(severity: Severity) -> None:
    rate = 48_000
    tone = alert_tone(severity, rate, volume=0.4)
    assert tone.dtype == np.float32
    assert tone.size == sum(round(s * rate) for _, s in PATTERNS[severity])
    assert float(np.max(np.abs(tone))) <= 0.4 + 1e-6
    first_freq, first_len = PATTERNS[severity][0]
    beep = tone[: round(first_len * rate)]
    assert dominant_hz(beep, rate) == pytest.approx(first_freq, abs=rate / beep.size + 1)
    # raised-cosine edges: no click at the start or end
    assert abs(float(tone[0])) < 1e-3 and abs(float(tone[-1])) < 1e-3


def test_critical_is_more_insistent_than_info() -> None:
    def beeps(sev: Severity) -> int:
        return sum(1 for f, _ in PATTERNS[sev] if f > 0)

    assert beeps(Severity.CRITICAL) > beeps(Severity.WARNING) > beeps(Severity.INFO)
    assert PATTERNS[Severity.CRITICAL][0][0] > PATTERNS[Severity.INFO][0][0]


def test_volume_out_of_range_is_refused() -> None:
    with pytest.raises(ValueError, match="volume"):
        alert_tone(Severity.INFO, 8000, volume=1.5)


def test_no_device_at_all_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sound, "list_output_devices", list)
    with pytest.raises(NoOutputDeviceError, match="No sound output device found"):
        sound.resolve_output_device("speakers")


def test_unknown_and_ambiguous_names(monkeypatch: pytest.MonkeyPatch) -> None:
    devs = [
        sound.OutputDevice(0, "HDA Intel PCH: ALC892 Analog", "ALSA", 2, 48000.0),
        sound.OutputDevice(3, "USB Headset", "ALSA", 2, 48000.0),
        sound.OutputDevice(4, "USB Speakers", "ALSA", 2, 44100.0),
    ]
    monkeypatch.setattr(sound, "list_output_devices", lambda: devs)
    assert sound.resolve_output_device("headset").index == 3
    assert sound.resolve_output_device(4).name == "USB Speakers"
    assert sound.resolve_output_device("4").name == "USB Speakers"
    with pytest.raises(NoOutputDeviceError, match="ambiguous"):
        sound.resolve_output_device("usb")
    with pytest.raises(NoOutputDeviceError, match=r"'Bluetooth' not found .*USB Speakers"):
        sound.resolve_output_device("Bluetooth")
    with pytest.raises(NoOutputDeviceError, match="7 does not exist"):
        sound.resolve_output_device(7)


PLAY_SCRIPT = r"""
import json, sys
from cti.alarms import Severity
from cti.alarms.sound import AlarmSoundPlayer, NoOutputDeviceError, list_output_devices
out = {"devices": [d.name for d in list_output_devices()]}
try:
    AlarmSoundPlayer("no such speakers")
except NoOutputDeviceError as exc:
    out["missing"] = str(exc)
player = AlarmSoundPlayer("alarmspk", volume=0.5)
player.play(Severity.CRITICAL)
out["finished"] = player.wait(10.0)
player.close()
print(json.dumps(out))
"""


@pytest.mark.timeout(60)
def test_plays_the_alert_on_the_chosen_alsa_device(tmp_path: Path) -> None:
    raw = tmp_path / "played.raw"
    asoundrc = tmp_path / "asoundrc"
    asoundrc.write_text(
        f"""
pcm.alarmnull {{ type null }}
pcm.alarmtap {{ type file slave.pcm "alarmnull" file "{raw}" format "raw" }}
pcm.alarmspk {{
    type plug
    slave {{ pcm "alarmtap" format S16_LE rate 48000 channels 1 }}
}}
"""
    )
    env = dict(os.environ, ALSA_CONFIG_PATH=f"{ALSA_BASE}:{asoundrc}", PYTHONPATH=str(REPO))
    proc = subprocess.run(
        [sys.executable, "-c", PLAY_SCRIPT],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=50,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    assert "alarmspk" in result["devices"]
    assert "'no such speakers' not found" in result["missing"]
    assert result["finished"] is True
    samples = np.frombuffer(raw.read_bytes(), dtype="<i2").astype(np.float64) / 32768.0
    loud = np.flatnonzero(np.abs(samples) > 0.05)
    assert loud.size > 0, "nothing audible reached the device"
    first_beep = samples[loud[0] : loud[0] + round(0.1 * 48_000)]
    assert dominant_hz(first_beep, 48_000) == pytest.approx(988.0, abs=15)
    # the whole critical pattern was played (first to last audible sample)
    expected = sum(s for _, s in PATTERNS[Severity.CRITICAL]) * 48_000
    assert loud[-1] - loud[0] == pytest.approx(expected, rel=0.05)
