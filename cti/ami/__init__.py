"""AMI (Asterisk Manager Interface): sans-IO codec, typed events, actions and the client.

Data flow: bytes -> `AmiCodec` -> `Message` -> `to_event()` -> typed `AmiEvent`s; actions ->
`AmiCodec.send()` -> bytes. `AmiClient` runs this on its own I/O thread.
"""

from cti.ami.codec import AmiCodec, ProtocolError, ProtocolErrorKind, UnsafeHeaderError
from cti.ami.events import AmiEvent, ChannelInfo, GenericEvent, to_event
from cti.ami.message import Banner, Message

__all__ = [
    "AmiCodec",
    "AmiEvent",
    "Banner",
    "ChannelInfo",
    "GenericEvent",
    "Message",
    "ProtocolError",
    "ProtocolErrorKind",
    "UnsafeHeaderError",
    "to_event",
]
