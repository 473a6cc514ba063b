"""The console's own SIP phone (pjsua2, no Qt): registration, monitoring, headset audio.

Modules: `phone` (`SipPhone`: one Endpoint, polled), `config` (`SipAccountConfig`,
`MonitorProfile`), `monitor` (`MonitorSession`: listen / whisper / barge through ChanSpy,
and its `MonitorAudit` protocol), `audio_bridge` (conference port ↔ PortAudio headset),
`events` (the typed events), `end_reasons` (why a session ended), and `monitor_check` (the
end-to-end self-test).

Nothing is imported here: pjsua2 and the audio stack take half a second to load, and the
record and the review need only `end_reasons`.
"""
