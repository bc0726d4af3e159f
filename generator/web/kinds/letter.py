"""The hook by which the command layer finds the 报送反馈意见函 (letter: the one the web returns a submission with),
defined and registered in generator/web/letters.py."""
from generator.web.letters import LETTER

__all__ = ["LETTER"]
