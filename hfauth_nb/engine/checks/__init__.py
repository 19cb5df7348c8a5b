"""The checks, one module per cause, and the one registry that says in which order they run and which need the Hub.

A check reads a `Context` and returns findings; it does no I/O. The order below is the order findings are
produced in (a report sorts them by severity and catalogue rank; ties keep this order).
"""

from __future__ import annotations

from hfauth_nb.engine.checks import (
    colab,
    endpoint,
    git,
    netrc,
    network,
    oauth,
    repo,
    tokens,
    validity,
    write,
)
from hfauth_nb.engine.checks._shared import Check

# (check, needs_hub): a check that needs the Hub runs only when the Hub was asked (not offline, endpoint usable).
REGISTRY: tuple[tuple[Check, bool], ...] = (
    (tokens.check_token_file_unreadable, False),
    (tokens.check_token_malformed, False),
    (oauth.check_oidc_token_active, False),
    (oauth.check_oauth_token_expired, False),
    (tokens.check_legacy_env_var, False),
    (tokens.check_env_var_misnamed, False),
    (netrc.check_netrc, False),
    (netrc.check_netrc_unusable, False),
    (git.check_git_credential, False),
    (endpoint.check_endpoint_invalid, False),
    (endpoint.check_endpoint, False),
    (endpoint.check_offline_mode, False),
    (endpoint.check_library_outdated, False),
    (colab.check_colab, False),
    (colab.check_colab_secret_not_granted, False),
    (tokens.check_no_token_local, False),
    (tokens.check_implicit_token_disabled, False),
    # Sources that disagree matter without Hub answers too; with them it also says which token works.
    (validity.check_token_shadowed, False),
    (network.check_hub_unreachable, True),
    (network.check_rate_limited, True),
    (validity.check_token_invalid, True),
    (validity.check_token_unverified, True),
    (repo.check_repo, True),
    (write.check_write_intent, True),
    (tokens.check_no_token_hub, True),
    (tokens.check_implicit_hub, True),
)


def checks_to_run(hub_asked: bool) -> tuple[Check, ...]:
    """The registered checks that can judge this diagnosis, in registry order."""
    return tuple(check for check, needs_hub in REGISTRY if hub_asked or not needs_hub)
