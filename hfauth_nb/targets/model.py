"""What preflight extraction returns: the Hub repos a notebook or script will touch, and what it could not tell.

Plain frozen records, so the checking half (network, engine) and the renderers share one shape with the
`hfauth-preflight/1` JSON. Nothing here reads files or imports a Hub library.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Source:
    """One call that touches a repo. `cell` counts from 1 over all of a notebook's cells (markdown included, as
    the scan module and Jupyter's own numbering of the file do) and is None for a script; `line` counts from 1
    within that cell (or script); `call` is the callee as written, e.g. `AutoModel.from_pretrained`."""

    file: str
    cell: int | None
    line: int
    call: str


@dataclass(frozen=True)
class Target:
    """One repo the code reads or writes. A single-segment `repo_id` names a canonical model (`gpt2`) when
    read; when written (`write=True`), the Hub puts it under the token owner's namespace, which only whoami
    can tell. `via` is None for repos named in the code, `"base model of <adapter id>"` for followed ones."""

    repo_id: str
    repo_type: str
    revision: str | None
    write: bool
    via: str | None
    sources: tuple[Source, ...]

    @property
    def key(self) -> tuple[str, str, str | None, bool]:
        """What makes two targets the same check."""
        return (self.repo_id, self.repo_type, self.revision, self.write)


@dataclass(frozen=True)
class Unresolved:
    """A Hub call whose repo (or revision, or type) depends on something only running the code can tell, or a
    cell that does not parse. `code` is the call's source text (tokens masked); `reason` says why, in words."""

    file: str
    cell: int | None
    line: int
    code: str
    reason: str = ""


@dataclass(frozen=True)
class Extraction:
    """Everything one or more files will touch: deduplicated targets, then what could not be resolved."""

    targets: tuple[Target, ...] = ()
    unresolved: tuple[Unresolved, ...] = field(default=())
