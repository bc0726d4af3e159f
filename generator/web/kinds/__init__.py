"""The document kinds read from the web's workflow (its review states in the register; registered when
generator.render.cli.discover imports them). Free of Flask, as web/letters.py where they are defined."""
