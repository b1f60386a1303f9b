"""``cleaner explain``: one document, line by line, and why.

For each line of the (normalized) text: kept, removed by which rule, or shortened (a
lead-in or a span cut) by which rule, with the rule file and line that rule is written
on; the fields and the line each was read from; the outlet and how it was recognised;
and the final article or reject. As rich text on a terminal, plain text when piped, or
JSON for tools.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.text import Text

from cleaner.models import Article
from cleaner.pipeline import Trace
from cleaner.rules.compile import Origin, Rulebook
from cleaner.text.html import Extraction
from cleaner.text.page import PageMeta

_SHOWN = 110
"""Characters of a line shown in text mode (JSON has every character)."""


@dataclass(frozen=True)
class Explanation:
    """What ``cleaner explain`` shows for one document."""

    trace: Trace
    origins: dict[str, Origin]

    def to_json(self) -> dict[str, Any]:
        trace = self.trace
        prepared, cleaned = trace.prepared, trace.cleaned
        out: dict[str, Any] = {"source": trace.doc.source, "input_kind": trace.doc.kind}
        if prepared is not None:
            detection = prepared.detection
            out["outlet"] = {
                "id": detection.outlet,
                "detected_by": detection.method,
                "evidence": list(detection.evidence),
                "score": round(detection.score, 3),
                "rules_file": str(detection.rules.path) if detection.rules else None,
            }
            out["encoding"] = prepared.encoding
            if prepared.extraction is not None:
                out["extraction"] = {
                    "chosen": prepared.extraction.chosen,
                    "candidates": [
                        {
                            "name": c.name,
                            "likeness": round(c.likeness.score, 3),
                            "prose": c.likeness.prose,
                            "linked": c.likeness.linked,
                            "other": c.likeness.other,
                        }
                        for c in prepared.extraction.candidates
                    ],
                }
        if cleaned is not None:
            out["lines"] = [
                {
                    "no": line.no,
                    "original": line.original,
                    "text": line.text if line.removed_by is None else None,
                    "status": _status(line.removed_by, line.stripped),
                    "removed_by": _rule(line.removed_by, self.origins),
                    "cuts": [
                        {"text": cut, **(_rule(rule, self.origins) or {})}
                        for rule, cut in line.stripped
                    ],
                    "learned": cleaned.learned.get(line.no, []),
                }
                for line in cleaned.lines
            ]
            out["fields"] = {
                name: {"value": f.value, "line": f.line, **(_rule(f.rule, self.origins) or {})}
                for name, f in cleaned.fields.items()
            }
        if prepared is not None and prepared.page is not None:
            out.setdefault("fields", {})
            for name, value in _page_fields(prepared.page).items():
                out["fields"].setdefault(name, {"value": value, "source": "page markup"})
        if prepared is not None and prepared.given:  # the input record's own: they win
            given = {n: {"value": v, "source": "input"} for n, v in prepared.given.items()}
            out["fields"] = given | {
                n: f for n, f in out.get("fields", {}).items() if n not in given
            }
        out["result"] = trace.result.model_dump(mode="json")
        return out

    def render(self, console: Console) -> None:
        trace = self.trace
        prepared, cleaned = trace.prepared, trace.cleaned
        console.print(Text(trace.doc.source, style="bold"), soft_wrap=True)
        if prepared is not None:
            detection = prepared.detection
            if detection.rules is None:
                said = "outlet: none recognised; generic rules only"
                if detection.evidence:  # signs too weak or pointing two ways
                    said += f" (signs weigh {detection.score:g}, too little or unclear: "
                    said += "; ".join(detection.evidence) + ")"
                console.print(said, highlight=False, soft_wrap=True)
            else:
                evidence = "; ".join(detection.evidence)
                console.print(
                    f"outlet: {detection.outlet} ({_how(detection.method, detection.score)}: "
                    f"{evidence}); "
                    f"rules: {shown_path(detection.rules.path)}",
                    highlight=False,
                    soft_wrap=True,
                )
        if prepared is not None and prepared.extraction is not None:
            console.print(_extraction_line(prepared.extraction), highlight=False, soft_wrap=True)
        if cleaned is not None:
            field_of: dict[tuple[str, int], list[str]] = {}
            for name, f in cleaned.fields.items():
                field_of.setdefault((f.rule, f.line), []).append(name)
            for line in cleaned.lines:
                shown = self._line(line.no, line, field_of)
                if line.no in cleaned.learned:  # how often the site prints what went
                    shown.append(f"  ({'; '.join(cleaned.learned[line.no])})", style="magenta")
                console.print(shown, highlight=False, soft_wrap=True)
            if cleaned.fields:
                console.print(Text("fields", style="bold"))
                for name, f in cleaned.fields.items():
                    row = Text(f"  {name:<16} ")
                    row.append(_clip(f.value))
                    row.append(f"  line {f.line}, {f.rule}", style="cyan")
                    console.print(row, highlight=False, soft_wrap=True)
            if prepared is not None and prepared.given:
                console.print(Text("fields the input record gives (they win)", style="bold"))
                for name, value in prepared.given.items():
                    console.print(f"  {name:<16} {_clip(value)}", highlight=False, soft_wrap=True)
            self._notes(console, cleaned.hits)
        result = trace.result
        if isinstance(result, Article):
            console.print(
                Text(f"article: {result.word_count} words, id {result.id}", style="green"),
                highlight=False,
                soft_wrap=True,
            )
        else:
            console.print(
                Text(f"reject: {result.reason}: {result.detail}", style="red"),
                highlight=False,
                soft_wrap=True,
            )

    def _line(self, no: int, line: Any, field_of: dict[tuple[str, int], list[str]]) -> Text:
        text = Text(f"{no:>4} ")
        if line.removed_by is not None:
            text.append("- ", style="red")
            text.append(_clip(line.original), style="strike dim")
            fields = field_of.get((line.removed_by, no))
            text.append(f"  {line.removed_by}", style="yellow")
            if fields:
                text.append(f" → {', '.join(fields)}", style="cyan")
            text.append(f"  {self._where(line.removed_by)}", style="dim")
            return text
        if line.stripped:
            text.append("~ ", style="yellow")
            cuts = ", ".join(f"{rule} cut {_clip(cut, 40)!r}" for rule, cut in line.stripped)
            text.append(_clip(line.text))
            text.append(f"  {cuts}", style="yellow")
            return text
        text.append("  ")
        text.append(_clip(line.text))
        return text

    def _notes(self, console: Console, hits: Any) -> None:
        """Why each rule that acted exists, in its author's words (its ``note``)."""
        noted = [(rule, n) for rule in sorted(hits) if (n := self.origins.get(rule)) and n.note]
        if not noted:
            return
        console.print(Text("why", style="bold"))
        for rule, origin in noted:
            row = Text(f"  {rule:<32} ", style="yellow")
            row.append(_clip(" ".join((origin.note or "").split())))
            console.print(row, highlight=False, soft_wrap=True)

    def _where(self, rule: str) -> str:
        origin = self.origins.get(rule)
        if origin is None:
            return ""
        return (
            f"{shown_path(origin.file)}:{origin.line}" if origin.line else shown_path(origin.file)
        )


def _extraction_line(extraction: Extraction) -> str:
    """``extraction: rules (likeness 0.96)``, and the others when the net tried them."""
    chosen = next(c for c in extraction.candidates if c.name == extraction.chosen)
    line = f"extraction: {chosen.name} (likeness {chosen.likeness.score:.2f}"
    others = [c for c in extraction.candidates if c is not chosen]
    if others:
        line += "; over " + ", ".join(f"{c.name} {c.likeness.score:.2f}" for c in others)
    return line + ")"


def _how(method: str | None, score: float) -> str:
    """``fingerprint, weight 1.6`` for signs in the text; the method alone otherwise."""
    return f"{method}, weight {score:g}" if method == "fingerprint" else str(method)


def shown_path(path: str | Path) -> str:
    """``path`` relative to the working directory when it lies below it."""
    try:
        return Path(path).resolve().relative_to(Path.cwd()).as_posix()
    except ValueError:
        return str(path)


def _status(removed_by: str | None, stripped: list[tuple[str, str]]) -> str:
    if removed_by is not None:
        return "removed"
    return "shortened" if stripped else "kept"


def _rule(rule: str | None, origins: dict[str, Origin]) -> dict[str, Any] | None:
    if rule is None:
        return None
    origin = origins.get(rule)
    return {
        "rule": rule,
        "file": origin.file if origin else None,
        "file_line": origin.line if origin else None,
        "note": origin.note if origin else None,
    }


def _clip(text: str, width: int = _SHOWN) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def explain(trace: Trace, rulebook: Rulebook) -> Explanation:
    """The explanation of one traced document."""
    return Explanation(trace, rulebook.origins)


def _page_fields(page: PageMeta) -> dict[str, Any]:
    """What an HTML page's markup declares (meta tags, JSON-LD), by record field; the
    rules' own captures take precedence in ``explain --json``'s ``fields``."""
    found: dict[str, Any] = {
        "title": page.title,
        "published_at": page.published_at,
        "site_name": page.site_name,
        "authors": list(page.authors),
        "category": page.categories[0] if page.categories else None,
        "tags": list(page.tags),
    }
    return {name: value for name, value in found.items() if value}
