"""A sandbox enterprise registry (工商登记系统): a separate process with its own database that answers the
platform's company look-ups the way a real registry interface would. See ``app.py`` for the API and
``python -m sandbox.registry --help`` to start it."""
