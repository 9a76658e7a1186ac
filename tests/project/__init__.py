"""Project-wide tests: what they check is the project (its layout, packaging, imports, start-up,
documentation, vendor neutrality, a third vendor), not one module."""
