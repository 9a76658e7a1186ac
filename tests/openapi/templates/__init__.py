"""Tests of the generated code, by the template it is rendered from (``openapi/templates/``)."""
