"""Toy claims built in memory for the verdict and report tests: asserted and beyond propositions,
a claim with a conditions grid (rows ReLU, GELU; columns SGD, Adam, AdamW), and ``ran``, which
judges a claim on findings given by hand."""

from claims.engine.evidence import Evidence
from claims.engine.records import (
    Claim,
    Finding,
    Grid,
    Key,
    Proposition,
    Reading,
    Role,
    SourceRef,
    blind,
)
from claims.engine.verdicts import evaluate

SENTENCES = {"S01": "one sentence.", "S02": "another sentence.", "S03": "a framing sentence."}
GRID = Grid("inactive-weights-still", "D's weights do not move", ("activation", "optimizer"))
# Catalog order: rows ReLU then GELU, columns SGD, Adam, AdamW.
CELLS = [
    ("ReLU", "SGD", Finding.HOLDS),
    ("ReLU", "Adam", Finding.HOLDS),
    ("GELU", "SGD", Finding.HOLDS),
    ("GELU", "Adam", Finding.FAILS),
    ("ReLU", "AdamW", Finding.HOLDS),
    ("GELU", "AdamW", Finding.FAILS),
]


def asserted(claim: str, name: str, **keywords) -> Proposition:
    keywords.setdefault("formalizes", ("S01",))
    keywords.setdefault("reading", Reading("sentence", "the test's reading"))
    keywords.setdefault("registration", blind("a test expectation"))
    return Proposition(f"{claim}/{name}", "s", {}, Role.ASSERTED, Finding.HOLDS, **keywords)


def beyond(claim: str, name: str, **keywords) -> Proposition:
    keywords.setdefault("registration", blind("a test expectation"))
    return Proposition(f"{claim}/{name}", "s", {}, Role.BEYOND, Finding.FAILS, **keywords)


def cell(activation: str, optimizer: str) -> Proposition:
    return asserted(
        "grid",
        f"{activation}-{optimizer}".lower(),
        grid=GRID.name,
        cell={"activation": activation, "optimizer": optimizer},
        key=Key("largest D/A ratio: {ratio:.2f}"),
    )


GRID_CLAIM = Claim(
    "grid",
    "A grid",
    (SourceRef("doc", "S01", "one sentence"),),
    "s",
    (
        asserted("grid", "relu-derivative-negative"),
        *(cell(a, o) for a, o, _ in CELLS),
        beyond("grid", "further"),
    ),
    grids=(GRID,),
)


def ran(claim: Claim, findings: dict[str, Finding], measured: dict[str, float] | None = None):
    found = [
        Evidence(
            f"t::{p}",
            p,
            "property",
            str(f),
            examples=10,
            measurements={k: {"value": v, "unit": ""} for k, v in (measured or {}).items()},
        )
        for p, f in findings.items()
    ]
    return evaluate(claim, found, tested={p.id for p in claim.propositions})


def grid_findings() -> dict[str, Finding]:
    findings = {f"grid/{a}-{o}".lower(): f for a, o, f in CELLS}
    return {
        "grid/relu-derivative-negative": Finding.HOLDS,
        **findings,
        "grid/further": Finding.HOLDS,
    }


# A second document, for claims quoting two.
ESSAY = {"S01": "an essay sentence.", "S02": "a second essay sentence."}
