"""The embedded lab PBX: a simulated hotline that speaks Asterisk 22's AMI dialect (and SIP).

Pure simulation (`simulation.py`, deterministic with a seed, its own scaled clock), scenario
files (`scenario.py`), the AMI server (`ami_server.py`), the process entry (`main.py`) and the
parent-side launcher (`process.py`). No Qt here.
"""
