"""Write a small nbformat 4 notebook of code cells for the preflight tests."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Iterable


def write_notebook(path: Path, cells: Iterable[str]) -> Path:
    nb = {
        "cells": [
            {"cell_type": "code", "metadata": {}, "source": c, "outputs": [], "execution_count": None}
            for c in cells
        ],
        "metadata": {"kernelspec": {"name": "python3", "language": "python", "display_name": "Python 3"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    path.write_text(json.dumps(nb))
    return path
