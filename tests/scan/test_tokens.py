"""Token shapes in free text: every spelling of a canary is found, no look-alike ever is."""

from __future__ import annotations

import base64
import secrets
import string

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hfauth_nb.scan.tokens import find_tokens, kind_of

LETTERS = string.ascii_letters


def _letters(count: int) -> str:
    return "".join(secrets.choice(LETTERS) for _ in range(count))


def user_token() -> str:
    return "hf_" + _letters(34)


def org_token() -> str:
    return "api_org_" + _letters(34)


def oauth_token() -> str:
    return "hf_oauth_" + "".join(secrets.choice(LETTERS + string.digits) for _ in range(34))


def jwt_token() -> str:
    def part(n: int) -> str:
        return base64.urlsafe_b64encode(secrets.token_bytes(n)).decode().rstrip("=")

    header = base64.urlsafe_b64encode(b'{"alg":"EdDSA","typ":"JWT"}').decode().rstrip("=")
    return f"hf_jwt_{header}.{part(40)}.{part(64)}"


CANARY_MAKERS = {
    "user access token": user_token,
    "organization API token": org_token,
    "OAuth token": oauth_token,
    "OIDC token": jwt_token,
}


@pytest.mark.parametrize("kind", sorted(CANARY_MAKERS))
@pytest.mark.parametrize(
    "template",
    [
        "{t}",
        "token = '{t}'\n",
        'os.environ["HF_TOKEN"] = "{t}"',
        "login(token={t})",
        "https://user:{t}@huggingface.co/repo.git",
        "Bearer {t}\n",
        "first line\n  {t}  \nlast line",
        "HF_TOKEN={t};",
    ],
)
def test_every_shape_is_found_wherever_it_sits(kind: str, template: str) -> None:
    token = CANARY_MAKERS[kind]()
    (hit,) = find_tokens(template.format(t=token))
    assert hit.token == token and hit.kind == kind == kind_of(token)
    assert hit.line == template[: template.index("{t}")].count("\n") + 1


def look_alikes() -> list[str]:
    body = _letters(34)
    blob = base64.b64encode(secrets.token_bytes(600)).decode()
    return [
        "hf_" + _letters(33),
        "hf_" + _letters(35),
        "hf_" + "".join(secrets.choice(string.digits) for _ in range(34)),
        "hf_" + _letters(20) + "7" + _letters(13),
        "hf_" + body + "a",  # 35 letters: not a token, whatever comes before
        "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",  # a name made of words (identifier.py)
        "load_hf_GetAccessTokenForRepositoryWebhook()",
        "api_org_" + _letters(33),
        "hf_hub_download(repo_id='gpt2', filename='config.json')",
        "from huggingface_hub.constants import hf_token_path, HF_TOKEN_PATH",
        "hf_oauth_redirect_url = hf_oauth_token_path + hf_oauth_client_id",
        "def hf_oauth_authorization_endpoint(): ...",
        "hf_jwt_token, hf_jwt_decode, hf_jwt_",
        "HF_TOKEN=hf_" + "x" * 34,
        "token = 'hf_" + "X" * 34 + "'",
        "hf_YOUR_TOKEN_HERE hf_<your-token> hf_***",
        "hf_" + "abab" * 8 + "ab",
        "sha256:" + secrets.token_hex(32),
        "data:image/png;base64," + blob[:300] + "/hf_" + body + "/" + blob[300:],
        blob[:400] + "+hf_" + body + "+" + blob[400:],
    ]


def test_no_look_alike_is_reported() -> None:
    for text in look_alikes():
        assert find_tokens(text) == [], text


@settings(max_examples=300, deadline=None)
@given(
    length=st.integers(1, 60).filter(lambda n: n != 34),
    before=st.sampled_from(["", " ", "'", '"', "=", "(", "\n", ":"]),
    after=st.sampled_from(["", " ", "'", '"', ")", "\n", ",", "."]),
)
def test_wrong_lengths_never_match(length: int, before: str, after: str) -> None:
    assert find_tokens(f"{before}hf_{_letters(length)}{after}") == []


@settings(max_examples=200, deadline=None)
@given(
    before=st.text(alphabet=" \t\n'\"=(:,;[{", max_size=3),
    after=st.text(alphabet=" \t\n'\"),;]}.", max_size=3),
)
def test_a_canary_between_separators_is_always_found(before: str, after: str) -> None:
    token = user_token()
    assert [h.token for h in find_tokens(before + token + after)] == [token]


def test_json_and_python_escapes_are_decoded() -> None:
    token = user_token()
    (hit,) = find_tokens('{"token": "\\u0068f_' + token[3:] + '"}')
    assert hit.token == token and "escapes" in hit.how
    (hit,) = find_tokens("t = '\\x68\\x66_" + token[3:] + "'")
    assert hit.token == token


def test_html_character_references_are_decoded() -> None:
    token = user_token()
    (hit,) = find_tokens("<td>&#104;&#x66;_" + token[3:] + "</td>")
    assert hit.token == token and "HTML" in hit.how


def test_a_token_split_across_two_lines_is_found() -> None:
    token = user_token()
    (hit,) = find_tokens(f"print('{token[:20]}\n{token[20:]}')"[7:])
    assert hit.token == token and hit.how == "split across two lines"


def test_short_fragments_around_a_line_break_are_not_joined() -> None:
    assert find_tokens("hf_" + _letters(33) + "\nA = 1\n") == []
    assert find_tokens("hf_" + _letters(31) + "\nabc(x)\n") == []
