"""gaizao (改造): a city's old-community renovation policy as versioned code.

Library first: the CLI in ``generator.cli`` is a thin layer over
``generator.policy`` (load, check, show), ``generator.validate`` (county plans),
``generator.render`` (official documents) and ``generator.diff`` (policy versions).
"""

__version__ = "0.1.0"
