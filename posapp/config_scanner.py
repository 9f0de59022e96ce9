"""[scanner]: a keyboard wedge, a serial scanner, or both, and the wedge's calibration. Its
own module: config.py is at the size the house allows (tests/test_module_sizes.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from posapp.config_checks import baudrate_problem, bounded, one_character_problem
from posapp.config_read import checked
from posapp.core.wedge_map import pairs_problem


@dataclass(frozen=True, slots=True)
class ScannerConfig:
    """[scanner]: a keyboard wedge, a serial scanner, or both."""

    mode: Literal["wedge", "serial", "both"] = "wedge"
    port: str = "/dev/ttyACM0"
    baudrate: int = field(default=9600, metadata=checked(baudrate_problem))
    terminator: Literal["CR", "LF", "CRLF"] = "CR"
    # A person leaves 60 ms or more between keys (hardware.scanners.wedge); past a second,
    # everything typed would pass for a scan.
    max_key_gap_ms: int = field(default=50, metadata=checked(bounded(1000, " ms")))
    prefix: str = ""
    suffix: str = ""
    # The wedge's keys on this till, learnt by F12 > Calibrate the scanner (core/wedge_map.py)
    wedge_map: str = field(default="", metadata=checked(pairs_problem))
    wedge_case: Literal["keep", "invert"] = "keep"
    wedge_prefix: str = ""
    wedge_suffix: str = ""
    wedge_aim: str = field(default="", metadata=checked(one_character_problem))
