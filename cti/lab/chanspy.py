"""ChanSpy's arguments as the lab understands them (Asterisk 22 app_chanspy semantics).

`ChanSpy([chanprefix][,options])`: the lab spies on one extension's current call, so the
channel prefix is reduced to the extension (`PJSIP/1001-` and `PJSIP/1001` both mean 1001;
the trailing `-` in the dialplan exists only to stop Asterisk's prefix match from catching
10010 when 1001 is meant, and the lab matches exactly anyway).

Options used by the console and the fixtures' dialplan:
- `q` quiet: no beep when spying starts (without it the spy hears a short beep first);
- `E` exit when the spied-on channel hangs up (without it ChanSpy waits for the next call of
  the same extension, as Asterisk's scan loop does);
- `d` DTMF switches modes: 4 = listen (spy), 5 = whisper, 6 = barge;
- `w` whisper, `B` barge (both channels hear the spy); neither = listen.
Other ChanSpy options (`b`, `o`, `s`, `S`, `v(...)`, `x`, `X`, …) are accepted and ignored;
option arguments in parentheses are skipped.
"""

from __future__ import annotations

from dataclasses import dataclass

from cti.lab.sip_mixing import SpyMode

DTMF_MODES = {"4": SpyMode.LISTEN, "5": SpyMode.WHISPER, "6": SpyMode.BARGE}


@dataclass(frozen=True)
class ChanSpyOptions:
    mode: SpyMode = SpyMode.LISTEN
    quiet: bool = False
    exit_on_hangup: bool = False
    dtmf_switch: bool = False
    text: str = ""  # as given, for ApplicationData / CoreShowChannel

    @classmethod
    def parse(cls, text: str) -> ChanSpyOptions:
        flags: list[str] = []
        depth = 0
        for ch in text:
            if ch == "(":
                depth += 1
            elif ch == ")":
                depth = max(0, depth - 1)
            elif depth == 0:
                flags.append(ch)
        mode = SpyMode.LISTEN
        if "w" in flags:
            mode = SpyMode.WHISPER
        if "B" in flags:
            mode = SpyMode.BARGE
        return cls(
            mode=mode,
            quiet="q" in flags,
            exit_on_hangup="E" in flags,
            dtmf_switch="d" in flags,
            text=text,
        )


def spyee_extension(spec: str) -> str:
    """`PJSIP/1001-`, `PJSIP/1001`, `pjsip/1001`, `1001` → `1001`."""
    spec = spec.strip()
    if "/" in spec:
        spec = spec.split("/", 1)[1]
    return spec.rstrip("-").strip()


def dtmf_mode(options: ChanSpyOptions, digit: str) -> SpyMode | None:
    """The mode a DTMF digit selects, or None when it selects nothing (no `d` option)."""
    if not options.dtmf_switch:
        return None
    return DTMF_MODES.get(digit)
