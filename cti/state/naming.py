"""Names Asterisk uses for the same thing in different places.

A queue member's interface (`PJSIP/1001`) is the channel name without its `-<sequence>`
suffix (`PJSIP/1001-00000001`); the extension is the interface's resource part; ChanSpy's
options say the initial mode (`w` whisper, `B` barge, else listen) and whether DTMF 4/5/6
switch modes (`d`).
"""

from __future__ import annotations

from cti.state.views import SpyMode


def interface_of_channel(channel: str) -> str:
    """`PJSIP/1001-00000001` -> `PJSIP/1001`.

    `Local/1001@agents-0000001a;1` -> `Local/1001@agents`.
    """
    base = channel.split(";", 1)[0]
    cut = base.rfind("-")
    return base[:cut] if cut > base.find("/") else base


def extension_of_interface(interface: str) -> str:
    """`PJSIP/1001` -> `1001`; `Local/1001@agents` -> `1001`."""
    tail = interface.split("/", 1)[-1]
    return tail.split("@", 1)[0]


def spy_mode_from_options(options: str) -> tuple[SpyMode, bool]:
    """ChanSpy options (`qEd`, `qw`, `qEBd`) -> (initial mode, DTMF switching enabled)."""
    # Options may carry arguments in parentheses (e.g. `g(1)`); they do not contain w/B/d flags
    # we care about often enough to parse them fully, so drop them.
    flags = []
    depth = 0
    for ch in options:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        elif depth == 0:
            flags.append(ch)
    text = "".join(flags)
    if "B" in text:
        mode = SpyMode.BARGE
    elif "w" in text or "W" in text:
        mode = SpyMode.WHISPER
    else:
        mode = SpyMode.LISTEN
    return mode, "d" in text
