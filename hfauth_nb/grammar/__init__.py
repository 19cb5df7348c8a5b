"""The grammar shared by the `hfauth` command and the `%hfauth` magic.

`table` holds one row per command (its arguments, which front ends have it, the request it becomes),
`parse` turns words into those requests, `requests` defines them and is the one door to the engine. Nothing
here diagnoses, and nothing here imports huggingface_hub.
"""
