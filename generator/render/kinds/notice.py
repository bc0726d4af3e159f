"""The hook by which the command layer finds the notice and its 更正通知 (notice, gengzheng), defined and registered
in generator/render/notice.py."""
from generator.render.notice import CORRECTION, NOTICE

__all__ = ["CORRECTION", "NOTICE"]
