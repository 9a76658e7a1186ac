"""Tests of the generated properties, by their template (``openapi/templates/property_templates/``)."""
