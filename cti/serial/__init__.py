"""Serial devices: LED wallboard (Alpha protocol, plain line mode) and GSM modem (SMS PDU).

No Qt here. Simulators for both devices live in `cti.serial.sim` (runnable:
`python -m cti.serial.sim.sign PORT`, `python -m cti.serial.sim.modem PORT`).
"""
