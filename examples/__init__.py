"""Downstream programs written against ``conversation_clients``, as a consuming team would write them."""
