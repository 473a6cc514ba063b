"""Device simulators on a real serial port (or one end of a `socat` pty pair).

They decode and check what a driver sends exactly like the device would, so tests and
administrators can see what a sign or modem would have received.
"""
