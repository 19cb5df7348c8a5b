"""As in colabtools (`google/colab/_shell.py`): Colab's kernel shell is a ZMQInteractiveShell subclass named Shell.

huggingface_hub decides "Colab" from `str(get_ipython())` at import (facts T11), which for this class reads
`<google.colab._shell.Shell object at ...>`, exactly as in Colab.
"""

from ipykernel import zmqshell


class Shell(zmqshell.ZMQInteractiveShell):
    """Shell with additional Colab-specific features."""
