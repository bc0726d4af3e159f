"""The hook by which the command layer finds the 回执 (receipt: the web's download), defined and registered in
generator/web/letters.py."""
from generator.web.letters import RECEIPT

__all__ = ["RECEIPT"]
