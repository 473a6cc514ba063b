"""AMI (Asterisk Manager Interface): sans-IO codec, typed events, actions and the client.

Data flow: bytes -> `AmiCodec` -> `Message` -> `to_event()` -> typed `AmiEvent`s; actions ->
`AmiCodec.send()` -> bytes. `AmiClient` runs this on its own I/O thread, keeps the link up and
delivers one `SyncSnapshot` per (re)connect. Module map: message.py (frames), codec.py
(framing), events.py (typed events), actions.py (actions, results, errors), correlation.py
(ActionID matching), sync.py (snapshot), backoff.py, client.py (transport), bench_codec.py.
"""

from cti.ami.actions import Action, ActionResult, AmiError
from cti.ami.client import AmiClient, AmiConfig, AmiConfigError, LinkState, LinkStatus
from cti.ami.codec import AmiCodec, ProtocolError, ProtocolErrorKind, UnsafeHeaderError
from cti.ami.events import AmiEvent, ChannelInfo, GenericEvent, to_event, typed_event
from cti.ami.message import Banner, Message
from cti.ami.sync import SyncSnapshot

__all__ = [
    "Action",
    "ActionResult",
    "AmiClient",
    "AmiCodec",
    "AmiConfig",
    "AmiConfigError",
    "AmiError",
    "AmiEvent",
    "Banner",
    "ChannelInfo",
    "GenericEvent",
    "LinkState",
    "LinkStatus",
    "Message",
    "ProtocolError",
    "ProtocolErrorKind",
    "SyncSnapshot",
    "UnsafeHeaderError",
    "to_event",
    "typed_event",
]
