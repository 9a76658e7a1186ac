"""What the tests share: loopback servers, the hostile child-process harness, the third vendor, fixtures.

Nothing here is a test module (no ``test_*.py``): the layout test (``tests/project/test_layout.py``)
keeps test modules at the path that mirrors what they test, and their helpers here.
"""
