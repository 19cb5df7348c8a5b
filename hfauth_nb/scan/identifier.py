"""Tell a name spelled in words (`ThisIsALongCamelCaseIdentifierXyz`) from 34 random letters (a token body).

Pure. The rule is a small automaton read one letter at a time, so the chance that it misreads a real token
(34 letters drawn uniformly from A-Z a-z) is computed exactly over the same automaton
(`misread_probability`), not estimated. A body is a name when:

- it is a run of words, each an uppercase letter followed by lowercase letters (the first word may start
  lowercase: camelCase), at least 3 words;
- every word of two or more letters holds a vowel (a e i o u y) and has at most 4 consonants in a row;
- at most 2 words are a single letter (`A` in `IsALong`);
- every pair of adjacent letters inside a word is one that English words in code use (`_BIGRAMS`: the 477 of
  676 pairs found in the 2,646 CamelCase words used 10 or more times in the packages of the newest test
  environment; pairs such as `qx`, `jz` or `vk` never occur).

Random letters are half uppercase, so they break into tiny words without vowels, and about 3 in 10 of their
letter pairs never occur in words: the rule misreads about 1 real token in 4.7 million
(`misread_probability()` is 2.13e-7; a test pins it). Tighter limits (3 consonants, 1 one-letter word) halve
or quarter that but would report plain names such as `LoadTokenizerFromPretrainedWeights` as tokens.
"""

from __future__ import annotations

from fractions import Fraction
from string import ascii_lowercase, ascii_uppercase
from typing import NamedTuple

VOWELS = frozenset("aeiouy")
MAX_CONSONANTS = 4
MAX_SINGLES = 2
MIN_WORDS = 3
_PAIRS = (
    "ab ac ad ae af ag ah ai aj ak al am an ao ap aq ar as at au av aw ax ay az ba bc bd be bf bg bh bi "
    "bj bl bm bo bp br bs bt bu by ca cc ce cf cg ch ci ck cl cm co cp cq cr cs ct cu cv cw cy da db dc "
    "dd de df dg di dj dk dl dm do dp dr ds dt du dw dy ea eb ec ed ee ef eg eh ei ej ek el em en eo ep "
    "eq er es et eu ev ew ex ey ez fa fe ff fi fl fm fn fo fp fr fs ft fu fx fy ga gc gd ge gf gg gh gi "
    "gl gm gn go gp gr gs gt gu gy gz ha he hf hi hl hm hn ho hp hq hr hs ht hu hv hy ia ib ic id ie if "
    "ig ih ik il im in io ip iq ir is it iu iv ix iz ja jd je ji jo js ju ka kb kd ke kg ki kl kn ko kp "
    "ks kt ku kv kw ky la lb lc ld le lf lg li lk ll lm ln lo lp lr ls lt lu lv lw lx ly ma mb mc md me "
    "mf mg mi ml mm mn mo mp mr ms mt mu mv my na nb nc nd ne nf ng nh ni nj nk nl nm nn no np nq nr ns "
    "nt nu nv nx ny oa ob oc od oe of og oh oi oj ok ol om on oo op oq or os ot ou ov ow ox oz pa pb pc "
    "pd pe pg ph pi pk pl pm po pp pr ps pt pu pv px py pz qd qf ql qq qt qu ra rb rc rd re rf rg ri rk "
    "rl rm rn ro rp rq rr rs rt ru rv rw rx ry sa sc sd se sf sg sh si sj sk sl sm sn so sp sq sr ss st "
    "su sv sw sy ta tb tc td te tf tg th ti tl tm tn to tp tq tr ts tt tu tv tw tx ty tz ua ub uc ud ue "
    "uf ug ui uk ul um un uo up ur us ut uu uv ux uy uz va vc vd ve vg vi vl vm vo vp vt wa wc we wh wi "
    "wk wm wn wo wp wq wr ws ww xa xc xe xi xm xn xo xp xs xt xx xy ya yb yc yd ye yg yi yl ym yn yo yp "
    "yr ys yt yu yw yz za ze zh zi zo zs zu zy zz "
)
_BIGRAMS = frozenset(_PAIRS.split())


class _State(NamedTuple):
    length: int  # letters in the current word (0 before the first letter)
    last: str  # the current word's last letter, lowercased ("" before the first)
    vowel: bool  # the current word holds a vowel
    consonants: int  # consonants in a row at the end of the current word
    singles: int  # finished one-letter words
    words: int  # finished words


_START = _State(0, "", False, 0, 0, 0)


def _close(state: _State) -> _State | None:
    """Finish the current word; None when it breaks the rule."""
    if state.length == 0:
        return state
    if state.length >= 2 and not state.vowel:
        return None
    singles = state.singles + (state.length == 1)
    if singles > MAX_SINGLES:
        return None
    return _State(0, "", False, 0, singles, min(state.words + 1, MIN_WORDS))


def step(state: _State, letter: str) -> _State | None:
    """The state after `letter`, or None when the text can no longer be a name."""
    if letter.isupper():
        closed = _close(state)
        if closed is None:
            return None
        state = closed
    elif state.length == 0 and state.words > 0:  # a lowercase letter cannot start a word after the first
        return None
    lower = letter.lower()
    if state.last and state.last + lower not in _BIGRAMS:
        return None
    vowel = lower in VOWELS
    consonants = 0 if vowel else state.consonants + 1
    if consonants > MAX_CONSONANTS:
        return None
    return _State(
        min(state.length + 1, 2), lower, state.vowel or vowel, consonants, state.singles, state.words
    )


def accepts(state: _State) -> bool:
    closed = _close(state)
    return closed is not None and closed.words >= MIN_WORDS


def looks_like_identifier(body: str) -> bool:
    """True when `body` (ASCII letters only) reads as a name made of words."""
    state = _START
    for letter in body:
        if not ("a" <= letter.lower() <= "z"):
            return False
        nxt = step(state, letter)
        if nxt is None:
            return False
        state = nxt
    return accepts(state)


def misread_probability(length: int = 34) -> Fraction:
    """The exact chance that `length` uniformly random letters from A-Z a-z pass as a name."""
    letters = ascii_uppercase + ascii_lowercase
    counts: dict[_State, int] = {_START: 1}
    for _ in range(length):
        following: dict[_State, int] = {}
        for state, count in counts.items():
            for letter in letters:
                nxt = step(state, letter)
                if nxt is not None:
                    following[nxt] = following.get(nxt, 0) + count
        counts = following
    accepted = sum(count for state, count in counts.items() if accepts(state))
    return Fraction(accepted, len(letters) ** length)
