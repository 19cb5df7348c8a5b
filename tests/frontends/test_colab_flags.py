"""The Colab secret switches: read when the library would (default), --colab-secret, --no-colab-secret."""

from __future__ import annotations

import pytest

from hfauth_nb import request as req


@pytest.mark.parametrize("magic", [False, True])
def test_default_is_auto(magic: bool) -> None:
    command = req.parse_command(["check"], magic=magic)
    assert isinstance(command, req.CheckRequest)
    assert command.read_colab_secret is False and command.skip_colab_secret is False


@pytest.mark.parametrize("magic", [False, True])
def test_old_flag_still_accepted_and_new_one_parsed(magic: bool) -> None:
    forced = req.parse_command(["check", "--colab-secret"], magic=magic)
    skipped = req.parse_command(["status", "--no-colab-secret"], magic=magic)
    assert isinstance(forced, req.CheckRequest) and forced.read_colab_secret
    assert isinstance(skipped, req.StatusRequest) and skipped.skip_colab_secret
    assert req.to_check(skipped).skip_colab_secret


def test_both_flags_are_a_usage_error() -> None:
    with pytest.raises(req.RequestError, match="contradict"):
        req.parse_command(["check", "--colab-secret", "--no-colab-secret"])
