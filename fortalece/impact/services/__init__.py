"""Writes of the impact app, one module per sub-domain (like ``impact/views/``).

``instruments`` (upload, the builder), ``studies`` (create, check, run; loads the statistics
stack), ``surveys`` (links and answers collected in the platform). Nothing is re-exported here,
so importing ``surveys`` does not load pandas.
"""
