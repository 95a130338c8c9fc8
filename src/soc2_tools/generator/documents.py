"""Policy statements and documents as AWS hands them back, in all their spellings.

Used by IAM identity policies and S3 bucket policies alike. The same policy
arrives with `Statement` as an object or a list, `Action` as a string or a
list, an optional `Sid`, and as compact, indented or CRLF text, because that is
what the console, the CLI, Terraform and hand-written JSON each produce; a
package that reads policies must accept every spelling. `break_json` makes the
few documents that are not JSON at all (truncated or hand-edited), which a
scanner meets in real exports and must report rather than drop.
"""

from __future__ import annotations

import json
import random

from soc2_tools.generator.records import POLICY_VERSION, Doc, Statement


def one_or_list(rng: random.Random, values: list[str], single_chance: float = 0.6) -> object:
    """A single value is often written as a bare string, sometimes as a one-item list."""
    if len(values) == 1 and rng.random() < single_chance:
        return values[0]
    return values


def statement(
    rng: random.Random,
    effect: str,
    actions: list[str],
    resources: list[str],
    *,
    not_action: bool = False,
    not_resource: bool = False,
    condition: dict[str, object] | None = None,
    sid: str | None = None,
) -> Statement:
    """One statement, with a random Sid now and then."""
    result: Statement = {}
    if sid or rng.random() < 0.3:
        result["Sid"] = sid or f"Stmt{rng.randrange(10**12, 10**13)}"
    result["Effect"] = effect
    result["NotAction" if not_action else "Action"] = one_or_list(rng, actions)
    result["NotResource" if not_resource else "Resource"] = one_or_list(rng, resources)
    if condition:
        result["Condition"] = condition
    return result


def document(rng: random.Random, statements: list[Statement]) -> Doc:
    """A policy document; a single statement is sometimes not wrapped in a list."""
    body: object = statements
    if len(statements) == 1 and rng.random() < 0.35:
        body = statements[0]
    return {"Version": POLICY_VERSION, "Statement": body}


def document_text(rng: random.Random, doc: object) -> str:
    """The document as text: compact, indented by four, or indented by two with CRLF."""
    style = rng.random()
    if style < 0.45:
        return json.dumps(doc, ensure_ascii=False, separators=(",", ":"))
    if style < 0.8:
        return json.dumps(doc, ensure_ascii=False, indent=4)
    return json.dumps(doc, ensure_ascii=False, indent=2).replace("\n", "\r\n")


def break_json(rng: random.Random, text: str) -> str:
    """Text that is no longer JSON: truncated, or with an unquoted key and a trailing comma."""
    if rng.random() < 0.5:
        return text[: max(1, len(text) - 9)]
    return text.replace('"Effect"', "Effect", 1).replace("}]", "},]", 1)
