"""FakeHub's set-up methods forward HubState's parameter lists; what users see of them must not change.

help(), `hub.add_token?` in a notebook and inspect show these signatures, and the README documents them.
"""

from __future__ import annotations

import inspect
import typing

import pytest

from hfauth_nb.testing import FakeHub

SIGNATURES = {
    "add_user": "(name: 'str', *, fullname: 'str | None' = None, orgs: 'Mapping[str, str] | None' = None, "
    "is_pro: 'bool' = False, email: 'str | None' = None) -> 'None'",
    "add_token": "(user: 'str', role: 'str' = 'read', *, value: 'str | None' = None, name: 'str | None' = None, "
    "oauth: 'bool' = False, scoped: 'list[dict[str, Any]] | None' = None, "
    "global_permissions: 'list[str] | None' = None, can_read_gated: 'bool' = True, "
    "expires_at: 'float | None' = None) -> 'str'",
    "add_repo": "(repo_id: 'str', repo_type: 'str' = 'model', *, private: 'bool' = False, "
    "gated: 'Union[bool, str]' = False, disabled: 'bool' = False, "
    "files: 'Mapping[str, Union[bytes, str]] | None' = None) -> 'None'",
}


@pytest.mark.parametrize("name", SIGNATURES)
def test_setup_methods_show_their_own_signature_name_and_doc(name: str) -> None:
    hub = FakeHub()
    method = getattr(hub, name)
    assert str(inspect.signature(method)) == SIGNATURES[name]
    assert str(inspect.signature(getattr(FakeHub, name))) == "(self, " + SIGNATURES[name][1:]
    assert method.__name__ == name
    assert method.__qualname__ == f"FakeHub.{name}"
    assert method.__doc__ and "HubState" not in method.__doc__
    hints = typing.get_type_hints(method)
    assert set(hints) == {*inspect.signature(method).parameters, "return"}


def test_setup_methods_keep_keyword_only_arguments_and_return_values() -> None:
    hub = FakeHub()
    with pytest.raises(TypeError):
        hub.add_user("alice", "Alice")  # type: ignore[call-arg]
    assert hub.add_user("alice", fullname="Alice", orgs={"acme": "read"}) is None
    with pytest.raises(TypeError):
        hub.add_token("alice", "read", "value")  # type: ignore[call-arg]
    token = hub.add_token("alice", role="write", name="ci")
    assert isinstance(token, str) and hub.token_owner(token) == "alice"
    with pytest.raises(TypeError):
        hub.add_repo("alice/model", creator="alice")  # type: ignore[call-arg]
    assert hub.add_repo("alice/model", "dataset", private=True, files={"a.txt": "x"}) is None
    assert hub.repo_files("alice/model", repo_type="dataset") == {"a.txt": b"x"}
