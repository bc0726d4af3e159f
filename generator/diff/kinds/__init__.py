"""Document kinds of the policy diff (generator.render.pipeline), found by the command layer
(generator.render.cli.discover)."""
