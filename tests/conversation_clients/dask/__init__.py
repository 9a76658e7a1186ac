"""Tests of ``overlay/conversation_clients/dask``: the export past one machine, on Dask distributed."""
