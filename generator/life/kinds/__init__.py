"""Document kinds made from a project's life record (generator.render.pipeline): the letters of
generator/life/documents.py. Found by the command layer (generator.render.cli.discover)."""
