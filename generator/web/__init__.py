"""The web front end (issue 12): counties upload their workbooks and see the findings, the city follows
the year. Flask application (app.py) served by waitress (cli.py ``gaizao serve``), over the register's
SQLite database and the same library functions as the CLI. See docs/web.md.

Nothing is imported here: ``gaizao serve --help`` and ``gaizao web list`` must not load Flask."""
