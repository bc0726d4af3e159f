"""The document kinds read from a county's workbook and its findings (registered when generator.render.cli.discover
imports them)."""
