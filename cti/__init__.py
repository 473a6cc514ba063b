"""Telephony core of the Hotline Supervisor Console (no Qt: see DESIGN.md)."""
