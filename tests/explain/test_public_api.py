"""`hfauth_nb.explain` stays the public function whatever else imported the package's modules.

A submodule named like a package attribute replaces that attribute when it is first imported; this walks every
path that imports the package's modules (the magic, `%hfauth why`, watch, every submodule by name) and calls
the public API after each, twice.
"""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

import pytest
from huggingface_hub import hf_hub_download
from IPython.core.interactiveshell import InteractiveShell

import hfauth_nb
from hfauth_nb.testing import FakeHub

PUBLIC = ("diagnose", "explain", "load_ipython_extension", "unload_ipython_extension")


def _gated_error(hub: FakeHub, cache: Path) -> BaseException:
    try:
        hf_hub_download("meta-llama/Gated", "config.json", endpoint=hub.url, cache_dir=cache)
    except Exception as exc:
        return exc
    raise AssertionError("the gated download did not fail")


def _explain_twice(exc: BaseException) -> None:
    for _ in range(2):
        assert callable(hfauth_nb.explain)
        report = hfauth_nb.explain(exc, timeout=5)
        assert "gated-not-requested" in [f.id for f in report.findings]


def test_explain_after_load_ext_why_and_every_submodule(
    gated_hub: FakeHub, bare_shell: InteractiveShell, tmp_path: Path
) -> None:
    exc = _gated_error(gated_hub, tmp_path)
    _explain_twice(exc)

    bare_shell.run_line_magic("load_ext", "hfauth_nb")
    _explain_twice(exc)

    bare_shell.run_cell(
        f"from huggingface_hub import hf_hub_download\n"
        f"hf_hub_download('meta-llama/Gated', 'config.json', endpoint={gated_hub.url!r}, "
        f"cache_dir={str(tmp_path)!r})"
    )
    bare_shell.run_line_magic("hfauth", "why")
    bare_shell.run_line_magic("hfauth", "watch on")
    _explain_twice(exc)

    for module in pkgutil.walk_packages(hfauth_nb.__path__, "hfauth_nb."):
        if module.name.endswith(("__main__", "_anywidget")):
            continue  # __main__ runs the CLI; _anywidget is imported by the panel only
        importlib.import_module(module.name)
    _explain_twice(exc)


@pytest.mark.parametrize("name", PUBLIC)
def test_no_submodule_shadows_a_public_name(name: str) -> None:
    package = Path(hfauth_nb.__file__).parent
    assert not (package / f"{name}.py").exists()
    assert not (package / name).is_dir()
    assert callable(getattr(hfauth_nb, name))
