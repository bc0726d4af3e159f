"""Document kinds made from a policy and county workbooks, one module each (context + registration with
generator.render.pipeline). The command layer imports every module here (generator.render.cli.discover): a new
module is a new kind, with its ``gaizao render doc`` command and its ``gaizao build`` step."""
