"""The checks, one module per cause, and the one registry that says in which order they run and which need the Hub.

A check reads a `Context` and returns findings; it does no I/O. The order below is the order findings are
produced in (a report sorts them by severity and catalogue rank; ties keep this order).
"""

from __future__ import annotations

from hfauth_nb.engine.checks._shared import Check
from hfauth_nb.engine.checks.colab import check_colab, check_colab_secret_not_granted
from hfauth_nb.engine.checks.endpoint import (
    check_endpoint,
    check_endpoint_invalid,
    check_library_outdated,
    check_offline_mode,
)
from hfauth_nb.engine.checks.git import check_git_credential
from hfauth_nb.engine.checks.inference import check_inference
from hfauth_nb.engine.checks.netrc import check_netrc, check_netrc_unusable
from hfauth_nb.engine.checks.network import check_hub_unreachable, check_rate_limited
from hfauth_nb.engine.checks.oauth import (
    check_oauth_token_expired,
    check_oidc_token_active,
)
from hfauth_nb.engine.checks.passed_token import check_passed_token
from hfauth_nb.engine.checks.repo import check_repo
from hfauth_nb.engine.checks.spaces import (
    check_oauth_permissions_unknown,
    check_space_admin_oauth_refused,
    check_space_host_refused,
    check_space_lookup_refused,
    check_space_not_running,
    check_zerogpu_anonymous,
)
from hfauth_nb.engine.checks.tokens import (
    check_env_var_misnamed,
    check_implicit_hub,
    check_implicit_token_disabled,
    check_legacy_env_var,
    check_no_token_hub,
    check_no_token_local,
    check_token_file_unreadable,
    check_token_malformed,
)
from hfauth_nb.engine.checks.validity import (
    check_token_invalid,
    check_token_shadowed,
    check_token_unverified,
)
from hfauth_nb.engine.checks.write import check_write_intent
from hfauth_nb.engine.checks.xet import (
    check_xet_refresh_refused,
    check_xet_storage_refused,
    check_xet_unreachable,
)

# Each check once, in the order it runs. The local ones judge gathered facts alone (Hub answers only sharpen
# them); the Hub ones run only when the Hub was asked (not offline, an endpoint that is a URL, the library there).
LOCAL_CHECKS: tuple[Check, ...] = (
    check_token_file_unreadable,
    check_token_malformed,
    check_oidc_token_active,
    check_oauth_token_expired,
    check_legacy_env_var,
    check_env_var_misnamed,
    check_netrc,
    check_netrc_unusable,
    check_git_credential,
    check_endpoint_invalid,
    check_endpoint,
    check_offline_mode,
    check_library_outdated,
    check_colab,
    check_colab_secret_not_granted,
    check_no_token_local,
    check_implicit_token_disabled,
    check_inference,  # a failed Inference Providers call explain(exc) found (none otherwise)
    check_token_shadowed,  # sources that disagree matter without Hub answers; with them it says which works
    # A service call explain(exc) found failing (none otherwise): what the exception itself establishes.
    check_xet_storage_refused,
    check_xet_refresh_refused,  # reads whoami when the Hub was asked: is the token still refused now?
    check_xet_unreachable,
    check_space_host_refused,
    check_space_lookup_refused,
    check_zerogpu_anonymous,
    check_space_not_running,
)
HUB_CHECKS: tuple[Check, ...] = (
    check_hub_unreachable,
    check_rate_limited,
    check_token_invalid,
    check_token_unverified,
    check_passed_token,  # a token=... the failing call carried: judged beside the local one
    check_repo,
    check_write_intent,
    check_no_token_hub,
    check_implicit_hub,
    check_space_admin_oauth_refused,  # needs whoami to tell a browser login
    check_oauth_permissions_unknown,
)
REGISTRY: tuple[tuple[Check, bool], ...] = tuple((check, False) for check in LOCAL_CHECKS) + tuple(
    (check, True) for check in HUB_CHECKS
)
"""(check, needs_hub) for every check, in the order they run."""


def checks_to_run(hub_asked: bool) -> tuple[Check, ...]:
    """The registered checks that can judge this diagnosis, in registry order."""
    return tuple(check for check, needs_hub in REGISTRY if hub_asked or not needs_hub)
