"""The hook by which the command layer (generator.render.cli.discover) finds the life record's document kinds:
开工认定结果 (start-result) and 整改通知书 (rectification), defined and registered in generator/life/documents.py."""
from generator.life.documents import NOTICE, START

__all__ = ["NOTICE", "START"]
