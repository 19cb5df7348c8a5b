"""A stand-in for Colab's `google.colab` package (tests only): the shell class and the secrets vault.

`google` stays a namespace package (no __init__.py) so it merges with other `google.*` distributions.
"""
