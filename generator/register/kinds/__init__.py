"""The document kinds read from the register (registered when generator.render.cli.discover imports them)."""
