"""The tone detector used for who-hears-whom checks (cti/audio/tones.py)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from cti.audio import tones


def test_level_of_a_pure_tone_is_its_dbfs() -> None:
    samples = tones.synthesize({600.0: -10.0}, 1.0)
    assert tones.goertzel_dbfs(samples, 600.0, 8000) == pytest.approx(-10.0, abs=0.1)


def test_mixture_levels_are_separate_and_neighbours_do_not_leak() -> None:
    samples = tones.synthesize({600.0: -10.0, 1100.0: -16.0}, 0.7)
    levels = tones.tone_levels(tones.Audio(tones.to_float(samples), 8000), [600, 1100, 2500])
    assert levels[600] == pytest.approx(-10.0, abs=0.2)
    assert levels[1100] == pytest.approx(-16.0, abs=0.2)
    # A -10 dBFS tone 500 Hz away and PCM rounding stay far below the "absent" bar.
    assert levels[2500] < -90.0
    assert tones.check(levels[600], expected=True)
    assert tones.check(levels[2500], expected=False)


def test_a_tone_between_the_thresholds_fails_both_ways() -> None:
    samples = tones.synthesize({600.0: -30.0}, 0.5)
    level = tones.goertzel_dbfs(samples, 600.0, 8000)
    assert not tones.check(level, expected=True)
    assert not tones.check(level, expected=False)


def test_rms_level_matches_a_sine_and_sums_a_mixture() -> None:
    assert tones.rms_dbfs(tones.synthesize({600.0: -10.0}, 1.0)) == pytest.approx(-10.0, abs=0.1)
    both = tones.synthesize({600.0: -10.0, 1100.0: -10.0}, 1.0)
    assert tones.rms_dbfs(both) == pytest.approx(-7.0, abs=0.1)
    assert tones.rms_dbfs(np.zeros(10, dtype=np.int16)) == tones.FLOOR_DBFS


def test_silence_and_empty_input_are_floored() -> None:
    assert tones.goertzel_dbfs(np.zeros(800, dtype=np.int16), 600.0, 8000) == tones.FLOOR_DBFS
    assert tones.goertzel_dbfs(np.array([], dtype=np.int16), 600.0, 8000) == tones.FLOOR_DBFS


def test_wav_round_trip_and_slicing(tmp_path: Path) -> None:
    first = tones.synthesize({600.0: -12.0}, 1.0)
    second = tones.synthesize({2500.0: -12.0}, 1.0)
    path = tmp_path / "two.wav"
    tones.write_wav(path, np.concatenate([first, second]))
    audio = tones.read_wav(path)
    assert audio.sample_rate == 8000
    assert audio.duration_s == pytest.approx(2.0)
    early = tones.wav_tone_levels(path, [600, 2500], 0.1, 0.9)
    late = tones.wav_tone_levels(path, [600, 2500], 1.1)
    assert early[600] == pytest.approx(-12.0, abs=0.2) and early[2500] < -45
    assert late[2500] == pytest.approx(-12.0, abs=0.2) and late[600] < -45


def test_unreadable_wav_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "broken.wav"
    path.write_bytes(b"RIFF\x00\x00")
    with pytest.raises(tones.WavFormatError, match=r"broken\.wav"):
        tones.read_wav(path)
