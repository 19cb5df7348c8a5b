"""The Colab secret switches: read when the library would (default), --colab-secret, --no-colab-secret."""

from __future__ import annotations

import pytest

from hfauth_nb.grammar.parse import RequestError, parse_command
from hfauth_nb.grammar.requests import CheckRequest, StatusRequest, to_check


@pytest.mark.parametrize("magic", [False, True])
def test_default_is_auto(magic: bool) -> None:
    command = parse_command(["check"], magic=magic)
    assert isinstance(command, CheckRequest)
    assert command.read_colab_secret is False and command.skip_colab_secret is False


@pytest.mark.parametrize("magic", [False, True])
def test_old_flag_still_accepted_and_new_one_parsed(magic: bool) -> None:
    forced = parse_command(["check", "--colab-secret"], magic=magic)
    skipped = parse_command(["status", "--no-colab-secret"], magic=magic)
    assert isinstance(forced, CheckRequest) and forced.read_colab_secret
    assert isinstance(skipped, StatusRequest) and skipped.skip_colab_secret
    assert to_check(skipped).skip_colab_secret


def test_both_flags_are_a_usage_error() -> None:
    with pytest.raises(RequestError, match="contradict"):
        parse_command(["check", "--colab-secret", "--no-colab-secret"])
