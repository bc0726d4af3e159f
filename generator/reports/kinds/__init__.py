"""Document kinds of the year's reports (generator.render.pipeline), found by the command layer
(generator.render.cli.discover); each module here is the hook of kinds defined beside their data."""
