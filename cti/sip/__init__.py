"""The console's own SIP phone (pjsua2, no Qt): registration, monitoring, headset audio.

Public pieces: `SipPhone` (one Endpoint, polled), `SipAccountConfig`, `MonitorSession`
(listen / whisper / barge through ChanSpy) with its `MonitorAudit` protocol, `AudioBridge`
(conference port ↔ PortAudio headset), the typed events in `cti.sip.events`, and the
end-to-end self-test in `cti.sip.monitor_check`.
"""

from cti.sip.audio_bridge import AudioBridge, AudioUnavailableError, MicSource, list_audio_devices
from cti.sip.config import (
    ConfigError,
    DtmfMethod,
    MonitorMode,
    MonitorProfile,
    SipAccountConfig,
    SpyMethod,
    Transport,
)
from cti.sip.monitor import MonitorAudit, MonitorBusyError, MonitorSession, OriginateRequest
from cti.sip.phone import RegistrationStatus, SipError, SipPhone
from cti.sip.quality import CallQuality

__all__ = [
    "AudioBridge",
    "AudioUnavailableError",
    "CallQuality",
    "ConfigError",
    "DtmfMethod",
    "MicSource",
    "MonitorAudit",
    "MonitorBusyError",
    "MonitorMode",
    "MonitorProfile",
    "MonitorSession",
    "OriginateRequest",
    "RegistrationStatus",
    "SipAccountConfig",
    "SipError",
    "SipPhone",
    "SpyMethod",
    "Transport",
    "list_audio_devices",
]
