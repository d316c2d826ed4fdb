"""Date formats of the languages Fortalece speaks, where Django's own would mislead its
readers (FORMAT_MODULE_PATH in settings)."""
