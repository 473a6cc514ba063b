"""Ring buffer drift handling, resampler, quality estimate, account config (no pjsua2)."""

from __future__ import annotations

import numpy as np
import pytest

from cti.audio.tones import goertzel_dbfs
from cti.sip.audio_bridge import LinearResampler, rms_dbfs
from cti.sip.config import (
    ConfigError,
    MonitorMode,
    MonitorProfile,
    SipAccountConfig,
    Transport,
    split_host_port,
)
from cti.sip.events import RegFailure, RegState
from cti.sip.phone import classify_registration
from cti.sip.quality import estimate_quality, mos_from_r
from cti.sip.ring_buffer import FRAME, DriftBuffer

pytestmark = pytest.mark.sip  # (imports pjsua2 through cti.sip.phone; runs no Endpoint)


def _drive(producer_rate: float, consumer_rate: float, seconds: float, block: int = 256):
    """Simulate two clocks: pj pushes 160-sample frames at `producer_rate` samples/s, the
    sound card pulls `block` samples at `consumer_rate`. Time is simulated, not waited."""
    buf = DriftBuffer(target_frames=3, high_frames=8)
    frame = np.full(FRAME, 1000, dtype=np.int16)
    next_push, next_pull, t = 0.0, 0.0, 0.0
    fills = []
    pulled = 0
    while t < seconds:
        if next_push <= next_pull:
            t = next_push
            buf.write(frame)
            next_push += FRAME / producer_rate
        else:
            t = next_pull
            out = buf.read(block)
            pulled += int(np.count_nonzero(out))
            next_pull += block / consumer_rate
        fills.append(buf.fill)
    return buf, fills, pulled


@pytest.mark.parametrize("ppm", [5000, -5000, 300, -300])
def test_drift_over_five_minutes_stays_bounded(ppm: int) -> None:
    seconds = 300.0
    buf, fills, _ = _drive(8000.0 * (1 + ppm / 1e6), 8000.0, seconds)
    assert max(fills) <= buf.high
    assert buf.max_fill <= buf.high
    # Each direction of drift is absorbed by its own mechanism: one frame dropped/repeated
    # per
    # frame of drift beyond the buffer's headroom (target → high when the writer is fast,
    # target → empty when it is slow).
    drift_frames = abs(ppm) / 1e6 * seconds * 8000 / FRAME
    fast_room = (buf.high - buf.target) / FRAME + 2
    slow_room = buf.target / FRAME + 2
    if ppm > 0:
        assert drift_frames - fast_room <= buf.dropped_frames <= drift_frames + 2
        assert buf.repeated_frames <= 2
    else:
        assert drift_frames - slow_room <= buf.repeated_frames <= drift_frames + 2
        assert buf.dropped_frames <= 2


def test_writer_stopping_gives_silence_not_an_endless_repeat() -> None:
    buf = DriftBuffer(target_frames=2, high_frames=4, max_repeats=3)
    buf.write(np.full(2 * FRAME, 500, dtype=np.int16))
    assert np.all(buf.read(2 * FRAME) == 500)
    repeated = buf.read(3 * FRAME)
    assert np.all(repeated == 500) and buf.repeated_frames == 3
    assert np.all(buf.read(FRAME) == 0)  # writer gone: silence, wait for priming
    assert buf.repeated_frames == 3
    buf.write(np.full(FRAME, 7, dtype=np.int16))
    assert np.all(buf.read(FRAME) == 0)  # not primed again yet (needs 2 frames)
    buf.write(np.full(FRAME, 7, dtype=np.int16))
    assert np.all(buf.read(2 * FRAME) == 7)


def test_ring_buffer_keeps_order_across_wraparound() -> None:
    buf = DriftBuffer(target_frames=1, high_frames=3, capacity_frames=4)
    data = np.arange(20 * FRAME, dtype=np.int16)
    out = []
    for k in range(20):
        buf.write(data[k * FRAME : (k + 1) * FRAME])
        out.append(buf.read(FRAME))
    assert np.array_equal(np.concatenate(out), data)
    assert buf.dropped_frames == 0 and buf.repeated_frames == 0


@pytest.mark.parametrize("device_rate", [48000, 44100, 16000])
def test_resampler_round_trip_keeps_a_tone(device_rate: int) -> None:
    t = np.arange(8000) / 8000
    tone = (np.sin(2 * np.pi * 1000 * t) * 10000).astype(np.int16)
    up = LinearResampler(8000, device_rate)
    pieces, pos = [], 0
    while pos < len(tone) - 200:
        n_out = 441 if device_rate == 44100 else device_rate // 100
        need = up.inputs_needed(n_out)
        pieces.append(up.pull(n_out, tone[pos : pos + need]))
        pos += need
    device = np.concatenate(pieces)
    assert abs(len(device) / device_rate - pos / 8000) < 0.01
    down = LinearResampler(device_rate, 8000)
    back = np.concatenate([down.push(device[i : i + 480]) for i in range(0, len(device), 480)])
    level = goertzel_dbfs(back[800:-800].astype(np.int16), 1000.0, 8000)
    assert level == pytest.approx(goertzel_dbfs(tone, 1000.0, 8000), abs=1.0)


def test_rms_meter() -> None:
    assert rms_dbfs(np.zeros(160, dtype=np.int16)) == -120.0
    full = (np.sin(2 * np.pi * np.arange(160) / 16) * 32767).astype(np.int16)
    assert rms_dbfs(full) == pytest.approx(-3.0, abs=0.1)


def test_mos_estimate_follows_the_e_model() -> None:
    clean = estimate_quality(
        packets=1000, lost=0, jitter_ms=1.0, rtt_ms=20.0, jitter_buffer_ms=20.0
    )
    assert clean.mos == pytest.approx(4.4, abs=0.05)
    lossy = estimate_quality(
        packets=950, lost=50, jitter_ms=1.0, rtt_ms=20.0, jitter_buffer_ms=20.0
    )
    assert lossy.loss_percent == pytest.approx(5.0)
    # G.107 with G.711 + PLC (Ie 0, Bpl 25.1): R = 93.2 - 0.024 d - 95 * 5 / (5 + 25.1)
    assert lossy.r_factor == pytest.approx(93.2 - 0.024 * 52.0 - 95 * 5 / 30.1, abs=0.01)
    assert lossy.mos == pytest.approx(3.87, abs=0.01)
    slow = estimate_quality(
        packets=1000, lost=0, jitter_ms=40.0, rtt_ms=400.0, jitter_buffer_ms=100.0
    )
    assert slow.mos < clean.mos
    assert mos_from_r(0) == 1.0 and mos_from_r(100) == 4.5


def test_registration_outcomes_are_classified() -> None:
    assert classify_registration(200, 300) == (RegState.REGISTERED, RegFailure.NONE)
    assert classify_registration(200, 0) == (RegState.UNREGISTERED, RegFailure.NONE)
    assert classify_registration(401, 0) == (RegState.FAILED, RegFailure.BAD_CREDENTIALS)
    assert classify_registration(403, 0) == (RegState.FAILED, RegFailure.BAD_CREDENTIALS)
    assert classify_registration(408, 0) == (RegState.FAILED, RegFailure.UNREACHABLE)
    assert classify_registration(503, 0) == (RegState.FAILED, RegFailure.UNREACHABLE)
    assert classify_registration(404, 0) == (RegState.FAILED, RegFailure.REJECTED)


def test_account_config_uris_and_validation() -> None:
    cfg = SipAccountConfig(registrar="10.0.0.5:5080", user="1900", password="pw")
    assert cfg.aor == "sip:1900@10.0.0.5:5080"
    assert cfg.uri_for("*2211001") == "sip:*2211001@10.0.0.5:5080"
    assert "pw" not in repr(cfg)
    tcp = SipAccountConfig(
        registrar="pbx.local", user="1900", domain="hotline", transport=Transport.TCP
    )
    assert tcp.registrar_uri == "sip:pbx.local;transport=tcp"
    assert tcp.aor == "sip:1900@hotline"
    assert split_host_port("[::1]:5062") == ("::1", 5062)
    for bad in ("", ":5060", "host:99999", "host:x"):
        with pytest.raises(ConfigError):
            split_host_port(bad)
    with pytest.raises(ConfigError):
        SipAccountConfig(registrar="pbx", user="19 00")
    profile = MonitorProfile()
    assert profile.dial_string(MonitorMode.WHISPER, "1001") == "*2221001"
    assert profile.chanspy_data(MonitorMode.BARGE, "1001") == "PJSIP/1001-,qEBd"
