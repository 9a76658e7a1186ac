"""Generated client methods, one module per generated package (``openapi/operations.py`` writes them).

Every module here except this one is generated: ``nox -s generate`` rewrites them and
``nox -s check_generated`` fails when they differ from a fresh rendering. Never edit them.
"""
