"""Call quality during monitoring: jitter, loss and an MOS estimate.

The MOS is the ITU-T G.107 E-model reduced to what a G.711 call's RTCP statistics give
(the usual simplification, Cole & Rosenbluth 2001):

    R = 93.2 - Id - Ie_eff
    Id = 0.024 d + 0.11 (d - 177.3) H(d - 177.3)      d = one-way delay in ms
    Ie_eff = Ie + (95 - Ie) * Ppl / (Ppl + Bpl)        G.711 with PLC: Ie = 0, Bpl = 25.1
    MOS = 1 + 0.035 R + 7e-6 R (R - 60) (100 - R)       clamped to 1.0 .. 4.5

One-way delay is estimated as half the RTCP round trip + the jitter buffer's delay + the
packetisation (20 ms); jitter counts twice because a jitter buffer sized for it adds that
much delay. Without an RTT sample yet (first RTCP report after ~5 s) the RTT term is 0.
"""

from __future__ import annotations

from dataclasses import dataclass

PACKET_MS = 20.0
G711_IE = 0.0
G711_BPL = 25.1


@dataclass(frozen=True)
class CallQuality:
    """Receive-side quality of one call (what the supervisor hears)."""

    packets: int
    lost: int
    loss_percent: float
    jitter_ms: float
    rtt_ms: float
    jitter_buffer_ms: float
    one_way_delay_ms: float
    r_factor: float
    mos: float


def r_factor(one_way_delay_ms: float, loss_percent: float) -> float:
    d = max(0.0, one_way_delay_ms)
    delay_impairment = 0.024 * d + (0.11 * (d - 177.3) if d > 177.3 else 0.0)
    ppl = min(100.0, max(0.0, loss_percent))
    equipment = G711_IE + (95.0 - G711_IE) * ppl / (ppl + G711_BPL)
    return max(0.0, min(100.0, 93.2 - delay_impairment - equipment))


def mos_from_r(r: float) -> float:
    if r <= 0:
        return 1.0
    mos = 1.0 + 0.035 * r + 7e-6 * r * (r - 60.0) * (100.0 - r)
    return max(1.0, min(4.5, mos))


def estimate_quality(
    packets: int, lost: int, jitter_ms: float, rtt_ms: float, jitter_buffer_ms: float
) -> CallQuality:
    expected = packets + lost
    loss_percent = 100.0 * lost / expected if expected > 0 else 0.0
    delay = rtt_ms / 2.0 + jitter_buffer_ms + PACKET_MS + 2.0 * jitter_ms
    r = r_factor(delay, loss_percent)
    return CallQuality(
        packets=packets,
        lost=lost,
        loss_percent=loss_percent,
        jitter_ms=jitter_ms,
        rtt_ms=rtt_ms,
        jitter_buffer_ms=jitter_buffer_ms,
        one_way_delay_ms=delay,
        r_factor=r,
        mos=mos_from_r(r),
    )
