"""The hook by which the command layer finds the 标注副本 (annotate: validate --annotate), defined and registered in
generator/validate/annotate.py."""
from generator.validate.annotate import KIND

__all__ = ["KIND"]
