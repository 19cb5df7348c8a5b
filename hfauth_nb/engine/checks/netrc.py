"""Checks on netrc files: an entry that replaces the token, one git sends, a file that cannot be used."""

from __future__ import annotations

from hfauth_nb.engine.causes import NetrcStanzaCause
from hfauth_nb.engine.context import Context
from hfauth_nb.engine.report import Finding
from hfauth_nb.secrets import mask_secret


def check_netrc(ctx: Context) -> list[Finding]:
    """netrc-overrides-token where the observed header proves it; netrc-entry otherwise (git still uses it)."""
    facts = ctx.facts
    observed = facts.observed
    findings: list[Finding] = []
    library_file_seen = False
    for netrc_file, entry in facts.netrc.entries:
        library_reads = any("requests" in user for user in netrc_file.used_by)
        evidence = {
            "file": netrc_file.path,
            "machine": entry.machine,
            "login": entry.login,
            "password": mask_secret(entry.password),
            "used by": list(netrc_file.used_by),
            "huggingface_hub": f"{facts.library.version} ({facts.library.backend})",
        }
        stanza = "default entry" if entry.is_default else f"'machine {entry.machine}' entry"
        cause = NetrcStanzaCause(netrc_file.path, entry.machine)
        same = (
            entry.password is not None and entry.password == ctx.effective
        )  # the entry holds the token in use
        if library_reads and observed is not None and observed.replaced and not library_file_seen:
            library_file_seen = True
            evidence["observed Authorization"] = f"Basic (login {observed.basic_login})"
            findings.append(
                Finding(
                    id="netrc-overrides-token",
                    severity="warning" if same else "error",
                    title=f"The {stanza} in {netrc_file.path} replaces your token: huggingface_hub "
                    f"{facts.library.version} sends it as Basic auth instead of the Bearer token.",
                    detail="requests (used by huggingface_hub < 1.0) applies netrc credentials to every "
                    "request that has no explicit auth, overwriting the Authorization header; the Hub then "
                    "answers 401 'Invalid credentials in Authorization header', even for public repos. Seen "
                    "here: the library's own "
                    "session put Basic auth on a request to " + facts.host + ".",
                    fix=(
                        "hfauth fix netrc-overrides-token   # removes only this entry, keeps a backup; "
                        "--dry-run shows the change (in a notebook: %hfauth fix ...)",
                        "%env NETRC=/dev/null   # this kernel only: requests then reads no netrc file",
                        "pip install -U 'huggingface_hub>=1.0'   # httpx-based versions ignore netrc (if your "
                        "transformers allows it)",
                    ),
                    evidence=evidence,
                    cause=cause,
                )
            )
            continue
        git_users = [u for u in netrc_file.used_by if u.startswith("git")]
        if not git_users and not library_reads:
            continue
        findings.append(
            Finding(
                id="netrc-entry",
                severity="info" if same else "warning",
                title=f"{netrc_file.path} has a {stanza} that git and git-lfs send to {facts.host}"
                + (" (it matches your token)." if same else ", and it is not your current token."),
                detail="huggingface_hub "
                + (
                    f"{facts.library.version} ignores netrc"
                    if facts.library.backend != "requests"
                    else "does not use it here"
                )
                + ", but git clone/push over https and git-lfs use netrc credentials instead of the credential "
                "helper, so a stale entry breaks them with 401.",
                fix=(
                    "hfauth fix netrc-entry   # removes only this entry, keeps a backup; --dry-run shows the change",
                    f"or update its password in {netrc_file.path} to your current token",
                ),
                evidence=evidence,
                cause=cause,
            )
        )
    return findings


def check_netrc_unusable(ctx: Context) -> list[Finding]:
    """A netrc file no tool reads the same way (it does not parse), or one others can read while it holds
    credentials."""
    findings = []
    for netrc_file in ctx.facts.netrc.files:
        path = netrc_file.path
        evidence: dict[str, object] = {"file": path}
        if netrc_file.error:
            title = f"{path} cannot be used: {netrc_file.error}."
            detail = (
                "requests skips a netrc file it cannot parse without a word, while curl/git may still read parts "
                "of it, so tools disagree about your credentials."
            )
            fix = f"Fix or remove {path} (keep a copy)."
            evidence.update({"error": netrc_file.error, "used by": list(netrc_file.used_by)})
        elif netrc_file.unsafe_mode and netrc_file.entry is not None:
            title = f"{path} holds credentials but other users can read it (mode {netrc_file.unsafe_mode})."
            detail = "Python's netrc refuses such a ~/.netrc for non-anonymous logins, and it exposes your passwords."
            fix = f"chmod 600 {path}"
            evidence["mode"] = netrc_file.unsafe_mode
        else:
            continue
        findings.append(
            Finding(
                id="netrc-unusable",
                severity="warning",
                title=title,
                detail=detail,
                fix=(fix,),
                evidence=evidence,
            )
        )
    return findings
