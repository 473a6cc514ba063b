"""The real audio path on a headless machine: PortAudio on ALSA devices made by the test.

ALSA's `file` plugin records what would reach the supervisor's headset and plays a file
as the microphone; the `null` plugin is the "hardware". Note: `null` has no clock, so
PortAudio runs these devices as fast as it can — the most extreme clock mismatch there
is. The bridge's drift handling must keep its buffers bounded regardless (counted as
drops / repeats), and what reaches the file is bursts of the call's real audio.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from cti.audio.tones import AGENT_HZ, CALLER_HZ, SUPERVISOR_HZ, goertzel_dbfs, synthesize
from tests.sip.conftest import HERE, REPO, Peer

pytestmark = pytest.mark.sip

ASOUND = """
pcm.headset_out {{
    type plug
    slave {{ pcm "headset_file" format S16_LE rate 8000 channels 1 }}
}}
pcm.headset_file {{
    type file
    slave.pcm "nullpcm"
    file "{out}"
    format "raw"
}}
pcm.headset_in {{
    type plug
    slave {{ pcm "mic_file" format S16_LE rate 8000 channels 1 }}
}}
pcm.mic_file {{
    type file
    slave.pcm "nullpcm"
    file "/dev/null"
    infile "{mic}"
    format "raw"
}}
pcm.nullpcm {{ type null }}
pcm.!default {{ type asym playback.pcm "headset_out" capture.pcm "headset_in" }}
"""


def _alsa_env(tmp_path: Path) -> tuple[dict[str, str], Path]:
    out = tmp_path / "headset.raw"
    mic = tmp_path / "mic.raw"
    # The "microphone": a loud supervisor tone, long enough for a free-running reader.
    synthesize({SUPERVISOR_HZ: -3.0}, 60.0).astype("<i2").tofile(mic)
    conf = tmp_path / "asound.conf"
    conf.write_text(ASOUND.format(out=out, mic=mic))
    env = dict(os.environ, ALSA_CONFIG_PATH=str(conf))
    return env, out


@pytest.mark.timeout(60)
def test_headset_hears_caller_and_agent_and_listen_sends_no_microphone(
    spy_peer: Peer, tmp_path: Path
) -> None:
    env, out = _alsa_env(tmp_path)
    proc = subprocess.run(
        [
            sys.executable,
            str(HERE / "phone_scenarios.py"),
            "headset",
            str(spy_peer.port),
            "headset_out",
            "headset_in",
        ],
        capture_output=True,
        text=True,
        timeout=45,
        cwd=REPO,
        env=env,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    line = next(x for x in proc.stdout.splitlines() if x.startswith("RESULT "))
    import json

    result = json.loads(line[len("RESULT ") :])
    spy_peer.command("report")
    report = spy_peer.read_until("levels")

    assert result["started"] and result["live"] == 0
    # What the file plugin received = what the headset would play: the monitored call.
    # It comes in bursts (see the module docstring), so it is measured per 20 ms block that
    # holds sound, and the median block must carry both tones and not the supervisor's.
    played = np.fromfile(out, dtype="<i2")
    blocks = played[: len(played) // 160 * 160].reshape(-1, 160)
    sound = blocks[np.count_nonzero(blocks, axis=1) >= 100]  # (a 1 kHz sine is 0 every 4th)
    # The device check's test tone (1000 Hz, 0.3 s before the call) reached the headset.
    test_tone = [b for b in sound if goertzel_dbfs(b, 1000.0, 8000) >= -20.0]
    assert len(test_tone) >= 10
    sound = np.array([b for b in sound if goertzel_dbfs(b, 1000.0, 8000) < -45.0])
    assert len(sound) >= 50  # at least a second's worth of the call's audio
    for hz, present in ((CALLER_HZ, True), (AGENT_HZ, True), (SUPERVISOR_HZ, False)):
        level = float(np.median([goertzel_dbfs(b, hz, 8000) for b in sound]))
        assert level >= -20.0 if present else level <= -45.0, (hz, level)
    # The microphone device played a loud tone all along: nothing of it left the console
    # in listen mode; in whisper it did (so the input path itself works).
    assert report["levels"]["listen"] <= -45.0
    assert report["levels"]["whisper"] >= -20.0
    assert result["whisper_mic_dbfs"] > -20.0
    assert result["listen_speaker_dbfs"] > -30.0
    stats = result["stats"]
    high = 8 * 160
    assert stats["speaker_max_fill"] <= high
    assert stats["mic_fill"] <= high
    # A clockless device: the bridge had to drop / repeat, and counted it.
    assert stats["speaker_repeated"] + stats["mic_dropped"] > 0
    assert stats["media_errors"] == 0


@pytest.mark.timeout(60)
def test_no_audio_device_is_a_clear_message_and_monitoring_still_works(
    spy_peer: Peer, tmp_path: Path
) -> None:
    # A sound card that is not there: PortAudio lists no device at all. (An ALSA config
    # with no usable default makes PortAudio itself abort the process on import, which is
    # why the phone never imports sounddevice before the supervisor opens devices.)
    conf = tmp_path / "nocard.conf"
    conf.write_text("defaults.pcm.card 99\npcm.missing { type hw card 99 }\n")
    env = dict(os.environ, ALSA_CONFIG_PATH=str(conf))
    proc = subprocess.run(
        [sys.executable, str(HERE / "phone_scenarios.py"), "no_devices", str(spy_peer.port)],
        capture_output=True,
        text=True,
        timeout=45,
        cwd=REPO,
        env=env,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    import json

    line = next(x for x in proc.stdout.splitlines() if x.startswith("RESULT "))
    result = json.loads(line[len("RESULT ") :])
    assert "no audio device" in result["message"]
    assert "monitoring works" in result["message"]
    assert result["started"] and result["heard"] > 0
    assert result["live"] == 0
