"""Rule patterns as text: read and rewritten without compiling them.

RE2 compiles a pattern into automata, which costs far more than reading its text; what
the rule engine needs to know before a document asks for the pattern (its named groups,
its form for searching a whole document at once, whether it is anchored to a line's
end) is read here from the pattern's text, as RE2 parses it. Its cheaper superset for
screening (:func:`screening`: :func:`widened` and :func:`relaxed`) is written here too.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator

import re2


def anchored_at_end(pattern: str) -> str:
    """``pattern`` made to match only where a line ends."""
    return f"(?:{pattern})$"


# Patterns whose meaning changes when the text is a whole document rather than one line.
TEXT_ANCHORS = re.compile(r"\\[Az]|\(\?[a-zA-Z]*-[a-zA-Z]*m")


def for_document(pattern: str) -> str | None:
    """``pattern`` rewritten to search a whole document line by line: it never matches
    across a line break, and its capturing groups are plain groups.

    On one line the rewrite matches exactly what the pattern does: only the line feed
    is taken out of what its classes match (``\\s`` becomes ``[\\t\\f\\r ]``,
    ``[^,]`` becomes ``[^,\\n]``). Without groups RE2 matches with its automata
    alone, several times faster. ``None`` when the pattern holds a construct this does
    not rewrite (``\\W``, ``\\D``, ``(?s)``, a range across the line feed, …): such a
    pattern is matched line by line instead.
    """
    out: list[str] = []
    i, n = 0, len(pattern)
    while i < n:
        c = pattern[i]
        if c == "\\":
            escape = _escape_at(pattern, i)
            i += len(escape)
            if escape == "\\s":
                out.append("[\\t\\f\\r ]")
            elif _may_be_newline(escape):
                return None
            else:
                out.append(escape)
        elif c == "[":
            parsed = _class_at(pattern, i)
            if parsed is None:
                return None
            text, i = parsed
            out.append(text)
        elif c == "(" and pattern.startswith("(?P<", i):
            end = pattern.find(">", i)
            if end < 0:
                return None
            out.append("(?:")
            i = end + 1
        elif c == "(" and pattern.startswith("(?", i):
            flags = re.match(r"\(\?([a-zA-Z]*)(?:-([a-zA-Z]*))?[:)]", pattern[i:])
            if flags is None or "s" in flags.group(1) or "m" in (flags.group(2) or ""):
                return None  # (?s): . takes newlines; (?-m): ^ and $ mean the text's ends
            out.append(flags.group(0))
            i += len(flags.group(0))
        elif c == "(":
            out.append("(?:")
            i += 1
        else:
            out.append(c)
            i += 1
    return "".join(out)


_ESCAPE = re.compile(
    r"\\(?:x\{[0-9A-Fa-f]+\}|x[0-9A-Fa-f]{2}|[pP]\{\^?\w+\}|[pP]\w|Q.*?(?:\\E|$)|[0-7]{1,3}|.)",
    re.S,
)


def _escape_at(pattern: str, i: int) -> str:
    m = _ESCAPE.match(pattern, i)
    return m.group(0) if m else pattern[i:]


def _code_of(escape: str) -> int | None:
    """The character an escape stands for, when it stands for one."""
    if escape.startswith("\\x{"):
        return int(escape[3:-1], 16)
    if escape.startswith("\\x"):
        return int(escape[2:], 16)
    if len(escape) == 2 and not escape[1].isalnum():
        return ord(escape[1])
    return {"\\t": 9, "\\n": 10, "\\v": 11, "\\f": 12, "\\r": 13, "\\a": 7}.get(escape)


def _may_be_newline(escape: str) -> bool:
    """Whether an escape outside a class may match a line feed (``\\s`` aside)."""
    if escape[1] in "WDCQ0123456789" or escape.startswith("\\P"):
        return True
    if escape.startswith("\\p"):
        name = escape[2:].strip("{}").lstrip("^")
        return name in {"C", "Cc", "Any"} or escape.startswith("\\p{^")
    return _code_of(escape) == 10


_SAFE_POSIX = {
    "alnum",
    "alpha",
    "ascii",
    "digit",
    "graph",
    "lower",
    "print",
    "punct",
    "upper",
    "word",
    "xdigit",
    "blank",
}


def _class_at(pattern: str, i: int) -> tuple[str, int] | None:
    """The class starting at ``pattern[i]`` made to exclude the line feed, and where it
    ends; ``None`` when that cannot be done by simple editing."""
    j = i + 1
    negated = pattern.startswith("^", j)
    j += negated
    items: list[str] = []
    first = True
    while j < len(pattern) and (first or pattern[j] != "]"):
        first = False
        if pattern.startswith("[:", j):
            end = pattern.find(":]", j + 2)
            if end < 0:
                return None
            name = pattern[j + 2 : end]
            if not negated and name not in _SAFE_POSIX:
                return None
            items.append(pattern[j : end + 2])
            j = end + 2
            continue
        item = _escape_at(pattern, j) if pattern[j] == "\\" else pattern[j]
        j += len(item)
        if pattern.startswith("-", j) and j + 1 < len(pattern) and pattern[j + 1] != "]":
            high = _escape_at(pattern, j + 1) if pattern[j + 1] == "\\" else pattern[j + 1]
            j += 1 + len(high)
            low_code = _code_of(item) if item.startswith("\\") else ord(item)
            high_code = _code_of(high) if high.startswith("\\") else ord(high)
            if low_code is None or high_code is None:
                return None
            if not negated and low_code <= 10 <= high_code:
                return None
            items.append(f"{item}-{high}")
            continue
        if not negated:
            if item == "\\s":
                item = "\\t\\f\\r "
            elif item.startswith("\\") and _may_be_newline(item):
                return None
        items.append(item)
    if j >= len(pattern):
        return None  # no closing bracket
    body = "".join(items)
    return (f"[^{body}\\n]" if negated else f"[{body}]"), j + 1


def group_names(pattern: str) -> frozenset[str]:
    """The names of ``pattern``'s named groups (``(?P<name>…)``, ``(?<name>…)``), read
    from its text with the tokenizer of :func:`for_document` (escapes, ``\\Q…\\E``,
    character classes), so that a rule file's captures are known without compiling
    its patterns (a test compares this with RE2's ``groupindex`` on every bundled
    pattern and on generated ones). ``pattern`` is one RE2 parses."""
    names: list[str] = []
    i, end = 0, len(pattern)
    while i < end:
        if pattern[i] == "\\":
            i += len(_escape_at(pattern, i))
        elif pattern[i] == "[":
            i = _class_end(pattern, i)
        elif pattern.startswith(("(?P<", "(?<"), i):
            start = pattern.index("<", i) + 1
            i = pattern.index(">", start) + 1
            names.append(pattern[start : i - 1])
        else:
            i += 1
    return frozenset(names)


def _class_end(pattern: str, i: int) -> int:
    """Where the character class starting at ``pattern[i]`` ends (after its ``]``)."""
    j = i + 1
    j += pattern.startswith("^", j)
    j += pattern.startswith("]", j)  # a "]" first is a member, not the end
    while j < len(pattern) and pattern[j] != "]":
        if pattern.startswith("[:", j) and (posix := pattern.find(":]", j + 2)) >= 0:
            j = posix + 2
        else:
            j += len(_escape_at(pattern, j)) if pattern[j] == "\\" else 1
    return j + 1


_FLAGS = re.compile(r"\(\?[a-zA-Z]*(?:-[a-zA-Z]*)?\)")


def required_tail(pattern: str, at: int) -> str | None:
    """``pattern`` from ``at`` on, with the flags it starts with: a pattern that matches
    somewhere in any text in which ``pattern`` matches (a cheap test that it does not,
    when the part before ``at`` is costly to search for and the tail is rare). ``None``
    unless ``at`` is outside every group and class, and nothing outside a group before
    it could make the tail optional or change its meaning: an alternation (``a|b``), a
    flag set after the start. The caller keeps what follows ``at`` from being optional
    (a quantifier after it)."""
    lead = _FLAGS.match(pattern)
    flags = lead.group(0) if lead else ""
    i, depth = len(flags), 0
    while i < len(pattern):
        if i == at:
            return flags + pattern[at:] if depth == 0 else None
        c = pattern[i]
        if c == "\\":
            i += len(_escape_at(pattern, i))
            continue
        if c == "[":
            i = _class_end(pattern, i)
            continue
        if depth == 0 and (c == "|" or _FLAGS.match(pattern, i)):
            return None
        depth += (c == "(") - (c == ")")
        i += 1
    return None


def widened(pattern: str) -> str:
    """A pattern that matches wherever ``pattern`` does, and costs RE2 far less: each
    Unicode property class (``\\pL``, ``\\p{Lu}``, also inside a class) becomes its
    ASCII members plus every non-ASCII character.

    RE2 compiles ``\\pL`` into about 1,200 instructions for its UTF-8 byte sequences,
    and ``[\\pL&/ ]{1,40}`` into 48,000 (one copy for each repeat); each worker holds
    every compiled program, and each automaton work queues as large as its program.
    Widened, that repeat takes about 600. On ASCII text the two match alike; elsewhere
    the widened one may match more. So it serves only where a match is confirmed
    afterwards with the pattern itself: sets and prefilters that screen a document for
    the patterns present, and searches that find the lines to look at. Negated classes
    and ``\\P``/``\\p{^…}`` are left as they are (widening them would narrow them).
    """
    if "\\p" not in pattern:  # nothing to widen (most patterns): no tokenizing
        return pattern
    return "".join(
        f"[{_wide(token)}]"
        if _is_property(token)
        else _widened_class(token)
        if token.startswith("[")
        else token
        for token in _tokens(pattern)
    )


_BOUNDED_REPEAT = re.compile(r"\{(\d+),\d+\}")


def relaxed(pattern: str) -> str:
    """A pattern that matches wherever ``pattern`` does, without counting: each bounded
    repeat ``{m,n}`` becomes ``{m,}`` (no upper bound), the rest is unchanged.

    RE2's automata count a bounded repeat state by state: in ``[^\\n]{0,400}$`` a state
    holds every length the tail may have reached so far, and on text it has not seen
    before the automaton builds new states for most of the characters it reads. Without
    the bound it has a few states: a set of a rule file's span patterns screened the
    long-tail corpus's new documents in about 8 % fewer instructions for the whole
    cleaning. Like :func:`widened`, the relaxed pattern may match more, so it serves
    only where the pattern itself confirms a match.
    """
    if not _BOUNDED_REPEAT.search(pattern):  # no "{m,n}" anywhere: no tokenizing
        return pattern
    out: list[str] = []
    tokens = list(_tokens(pattern))
    i = 0
    while i < len(tokens):
        if tokens[i] == "{" and out:  # a "{" first is a literal brace
            end = next((j for j in range(i, len(tokens)) if tokens[j] == "}"), -1)
            spelled = "".join(tokens[i : end + 1]) if end > 0 else ""
            if bound := _BOUNDED_REPEAT.fullmatch(spelled):
                out.append(f"{{{bound.group(1)},}}")
                i = end + 1
                continue
        out.append(tokens[i])
        i += 1
    return "".join(out)


@functools.lru_cache(maxsize=4096)
def screening(pattern: str) -> str:
    """The form of ``pattern`` that sets, prefilters and line finders screen text with:
    :func:`widened` and :func:`relaxed`, a superset that costs RE2 a fraction of the
    memory and time, each match confirmed afterwards with the pattern itself. Should RE2
    ever refuse the relaxed form, the widened one alone serves (a safeguard: none of
    the 228 bundled patterns that have a bounded repeat needs it)."""
    wide = widened(pattern)
    loose = relaxed(wide)
    return loose if loose == wide or parses(loose) else wide


_QUIET = re2.Options()
_QUIET.log_errors = False  # RE2 would print parse errors to stderr


def parses(pattern: str) -> bool:
    """Whether RE2 can parse ``pattern``, without compiling it: RE2's set parses a
    pattern as compiling it would, but builds no automaton."""
    return bool(re2.Set.SearchSet(_QUIET)._set.Add(pattern.encode("utf-8", "surrogatepass")) >= 0)


def _tokens(pattern: str) -> Iterator[str]:
    """``pattern`` cut into escapes (``\\Q…\\E`` is one), whole character classes and
    single characters."""
    i, n = 0, len(pattern)
    while i < n:
        if pattern[i] == "\\":
            end = i + len(_escape_at(pattern, i))
        elif pattern[i] == "[":
            end = _class_end(pattern, i)
        else:
            end = i + 1
        yield pattern[i:end]
        i = end


def _is_property(escape: str) -> bool:
    return escape.startswith("\\p") and not escape.startswith("\\p{^")


def _widened_class(text: str) -> str:
    """A character class (``[…]``, brackets included) with its property escapes widened
    (each of its escapes read as :func:`_escape_at` reads them, so ``\\\\p`` stays)."""
    if text.startswith("[^") or "\\p" not in text:
        return text
    return _ESCAPE.sub(lambda m: _wide(m[0]) if _is_property(m[0]) else m[0], text)


@functools.lru_cache(maxsize=256)
def _wide(escape: str) -> str:
    """The body of a class holding the ASCII members of property ``escape`` and every
    non-ASCII character (RE2 says which ASCII characters the property holds)."""
    compiled = re2.compile(escape)
    codes = [c for c in range(128) if compiled.fullmatch(chr(c))]
    ranges: list[list[int]] = []
    for code in codes:
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1][1] = code
        else:
            ranges.append([code, code])
    body = "".join(
        f"\\x{{{low:02X}}}" if low == high else f"\\x{{{low:02X}}}-\\x{{{high:02X}}}"
        for low, high in ranges
    )
    return body + "\\x{80}-\\x{10FFFF}"
