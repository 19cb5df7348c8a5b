"""Where this code runs (Colab, Kaggle, VS Code, Jupyter, terminal, CI) and the environment switches that matter.

Facts E1-E4 and V1: markers are read from the environment and the running IPython shell, never by importing
IPython (which `%load_ext` and `import hfauth_nb` must not pay for).
"""

from __future__ import annotations

import os
import platform
import sys
import urllib.request
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

_TRUE = {"1", "ON", "YES", "TRUE"}


def is_true(value: str | None) -> bool:
    """The library's own truthiness for flags (fact T20): no trimming, so `" 1"` is false for it too."""
    return (value or "").upper() in _TRUE


@dataclass(frozen=True)
class RuntimeFacts:
    kind: str  # colab | colab-enterprise | kaggle | vscode | sagemaker | jupyter | ipython | python
    in_ipython: bool
    in_kernel: bool  # a Jupyter-protocol kernel (ZMQInteractiveShell): widgets may render
    colab_markers: bool  # Colab's environment, whether or not we are inside its kernel
    ci: bool
    python: str
    platform: str


@dataclass(frozen=True)
class EnvFacts:
    """Environment variables as they are *now* (the library froze some of them at import, V1)."""

    endpoint: str | None
    offline: bool
    offline_variable: str | None
    implicit_token_disabled: bool
    oidc_resource: str | None
    oidc_id_token: bool
    github_actions_oidc: bool
    proxy: str | None  # the proxy variable that applies to the endpoint, if any
    proxy_url: str | None  # its scheme://host:port, without credentials
    ca_bundle: tuple[str, ...]
    proxy_error: str | None = None  # why the proxy variable's value is not a usable URL
    ca_missing: tuple[
        tuple[str, str], ...
    ] = ()  # (variable, path) naming a CA file/folder that does not exist


def _shell() -> Any:
    ipython = sys.modules.get("IPython")
    getter = getattr(ipython, "get_ipython", None)
    try:
        return getter() if getter is not None else None
    except Exception:
        return None


def gather_runtime() -> RuntimeFacts:
    shell = _shell()
    shell_mro = [cls.__name__ for cls in type(shell).__mro__] if shell is not None else []
    in_kernel = "ZMQInteractiveShell" in shell_mro
    colab_markers = any(
        os.environ.get(name)
        for name in ("COLAB_RELEASE_TAG", "COLAB_GPU", "COLAB_BACKEND_VERSION", "COLAB_JUPYTER_TRANSPORT")
    ) or "google.colab" in str(type(shell))
    user_ns = getattr(shell, "user_ns", {}) or {}
    if os.environ.get("VERTEX_PRODUCT") == "COLAB_ENTERPRISE":
        kind = "colab-enterprise"
    elif colab_markers:
        kind = "colab"
    elif os.environ.get("KAGGLE_KERNEL_RUN_TYPE") or os.environ.get("KAGGLE_URL_BASE"):
        kind = "kaggle"
    elif "__vsc_ipynb_file__" in user_ns or os.environ.get("VSCODE_PID"):
        kind = "vscode"
    elif os.environ.get("SAGEMAKER_APP_TYPE") or os.environ.get("SAGEMAKER_INTERNAL_IMAGE_URI"):
        kind = "sagemaker"
    elif in_kernel:
        kind = "jupyter"
    elif shell is not None:
        kind = "ipython"
    else:
        kind = "python"
    return RuntimeFacts(
        kind=kind,
        in_ipython=shell is not None,
        in_kernel=in_kernel,
        colab_markers=colab_markers,
        ci=is_true(os.environ.get("CI")) or os.environ.get("GITHUB_ACTIONS") == "true",
        python=platform.python_version(),
        platform=sys.platform,
    )


def proxy_for(endpoint: str) -> tuple[str | None, str | None]:
    """(variable, proxy URL without credentials) that HTTP clients would use for `endpoint`, honouring NO_PROXY.

    A proxy value that is not a URL (`HTTP_PROXY=:::`) is shown as written, minus anything before an '@'.
    """
    try:
        parts = urlsplit(endpoint)
        hostname = parts.hostname or ""
    except ValueError:
        return None, None
    proxies = urllib.request.getproxies_environment()
    url = proxies.get(parts.scheme) or proxies.get("all")
    bypass = getattr(urllib.request, "proxy_bypass_environment", lambda _host: False)
    if not url or bypass(hostname):
        return None, None
    names = [f"{parts.scheme}_proxy", "all_proxy"]
    variable = next((n for base in names for n in (base.upper(), base) if os.environ.get(n)), None)
    try:
        proxy = urlsplit(url if "://" in url else f"http://{url}")
        host = proxy.hostname or ""
        return variable, f"{proxy.scheme}://{host}" + (f":{proxy.port}" if proxy.port else "")
    except ValueError:
        return variable, url.rpartition("@")[2]


def proxy_problem(value: str | None) -> str | None:
    """Why a proxy URL cannot be used (no host, a bad port), or None."""
    if not value:
        return None
    try:
        proxy = urlsplit(value if "://" in value else f"http://{value}")
        proxy.port  # noqa: B018 - raises on a bad port
    except ValueError as exc:
        return "its port is out of range" if "out of range" in str(exc) else "it is not a URL (host[:port])"
    if not proxy.hostname:
        return "it names no host"
    return None


def gather_env(endpoint: str) -> EnvFacts:
    # The library reads `HF_HUB_OFFLINE or TRANSFORMERS_OFFLINE`, then its truthiness: HF_HUB_OFFLINE=0 wins.
    offline_variable = next(
        (n for n in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE") if os.environ.get(n)), None
    )
    if offline_variable is not None and not is_true(os.environ.get(offline_variable)):
        offline_variable = None
    variable_endpoint = os.environ.get("HF_ENDPOINT")
    proxy, proxy_url = proxy_for(endpoint)
    return EnvFacts(
        endpoint=variable_endpoint.rstrip("/") if variable_endpoint else None,
        offline=offline_variable is not None,
        offline_variable=offline_variable,
        implicit_token_disabled=is_true(os.environ.get("HF_HUB_DISABLE_IMPLICIT_TOKEN")),
        oidc_resource=os.environ.get("HF_OIDC_RESOURCE") or None,
        oidc_id_token=bool(os.environ.get("HF_OIDC_ID_TOKEN")),
        github_actions_oidc=bool(
            os.environ.get("ACTIONS_ID_TOKEN_REQUEST_URL")
            and os.environ.get("ACTIONS_ID_TOKEN_REQUEST_TOKEN")
        ),
        proxy=proxy,
        proxy_url=proxy_url,
        ca_bundle=tuple(
            n
            for n in ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE", "SSL_CERT_FILE", "SSL_CERT_DIR")
            if os.environ.get(n)
        ),
        proxy_error=proxy_problem(os.environ.get(proxy)) if proxy else None,
        ca_missing=tuple(
            (n, os.environ[n])
            for n in ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE", "SSL_CERT_FILE", "SSL_CERT_DIR")
            if os.environ.get(n) and not os.path.exists(os.environ[n])
        ),
    )
