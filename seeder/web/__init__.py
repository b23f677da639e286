"""``seeder serve``: a local web page over the same API as the command line (Starlette, Jinja2 templates rendered
on the server, no JavaScript needed). Install with ``pip install 'seeder[web]'``.

* :mod:`seeder.web.app`: routes, upload limits, one-line errors;
* :mod:`seeder.web.runs`: one run, from uploaded files or a description to plan, preview and downloads;
* :mod:`seeder.web.history`: earlier runs in a local SQLite file (inputs, settings, outputs);
* :mod:`seeder.web.graph`: the dependency graph drawn as SVG on the server (works offline).
"""
