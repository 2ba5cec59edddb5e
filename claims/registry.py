"""Validate the catalog and index it by id.

Every check here turns a catalog mistake into one ``CatalogError`` line that names the claim
or proposition at fault, before any test runs (the plugin calls ``build_registry`` at start-up).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from claims import source
from claims.records import (
    AGGREGATIONS,
    EXPECTABLE_FINDINGS,
    SCOPE_KEYS,
    Claim,
    Proposition,
    Role,
)

KEBAB = r"[a-z0-9]+(?:-[a-z0-9]+)*"
CLAIM_ID = re.compile(rf"^{KEBAB}$")
PROPOSITION_ID = re.compile(rf"^({KEBAB})/({KEBAB})$")


class CatalogError(ValueError):
    """The catalog (or a test's reference to it) is malformed."""


@dataclass(frozen=True)
class Registry:
    claims: tuple[Claim, ...]

    @property
    def propositions(self) -> dict[str, Proposition]:
        return {p.id: p for claim in self.claims for p in claim.propositions}

    def claim(self, claim_id: str) -> Claim:
        for claim in self.claims:
            if claim.id == claim_id:
                return claim
        raise CatalogError(f"unknown claim id {claim_id!r}")

    def proposition(self, proposition_id: str) -> Proposition:
        """Look up a proposition id as written in a marker; malformed and unknown ids differ."""
        if not isinstance(proposition_id, str) or not PROPOSITION_ID.match(proposition_id):
            raise CatalogError(
                f"malformed proposition id {proposition_id!r}: expected '<claim-id>/<name>', "
                "both kebab-case"
            )
        found = self.propositions.get(proposition_id)
        if found is None:
            known = ", ".join(sorted(self.propositions)) or "none"
            raise CatalogError(f"unknown proposition id {proposition_id!r}; known: {known}")
        return found


def build_registry(claims: Iterable[Claim], sentences: Mapping[str, str] | None = None) -> Registry:
    """Check every claim against the rules of the catalog and the source text."""
    sentences = source.sentences() if sentences is None else sentences
    claims = tuple(claims)
    if not claims:
        raise CatalogError("the catalog holds no claims")
    seen_claims: set[str] = set()
    seen_propositions: set[str] = set()
    for claim in claims:
        if not isinstance(claim, Claim):
            raise CatalogError(f"catalog entry {claim!r} is not a claims.records.Claim")
        _check_claim(claim, sentences)
        if claim.id in seen_claims:
            raise CatalogError(f"duplicate claim id {claim.id!r}")
        seen_claims.add(claim.id)
        for proposition in claim.propositions:
            if proposition.id in seen_propositions:
                raise CatalogError(f"duplicate proposition id {proposition.id!r}")
            seen_propositions.add(proposition.id)
    return Registry(claims=claims)


def _check_claim(claim: Claim, sentences: Mapping[str, str]) -> None:
    where = f"claim {claim.id!r}"
    if not CLAIM_ID.match(claim.id):
        raise CatalogError(f"{where}: id is not kebab-case")
    for name in ("title", "statement"):
        if not getattr(claim, name).strip():
            raise CatalogError(f"{where}: empty {name}")
    if not claim.source:
        raise CatalogError(f"{where}: cites no source sentence")
    for ref in claim.source:
        if ref.sentence not in sentences:
            raise CatalogError(f"{where}: unknown source sentence id {ref.sentence!r}")
        if not ref.quote or not ref.quote.strip():
            raise CatalogError(f"{where}: missing quote for {ref.sentence}")
        if ref.quote not in sentences[ref.sentence]:
            raise CatalogError(
                f"{where}: quote {ref.quote!r} is not verbatim in {ref.sentence}: "
                f"{sentences[ref.sentence]!r}"
            )
    if not claim.propositions:
        raise CatalogError(f"{where}: has no propositions")
    if not any(p.role == Role.CORE for p in claim.propositions):
        raise CatalogError(f"{where}: has no core proposition, so no verdict can rest on it")
    for proposition in claim.propositions:
        _check_proposition(claim, proposition)
    if claim.headline is not None:
        ids = {p.id for p in claim.propositions}
        if claim.headline.proposition not in ids:
            raise CatalogError(
                f"{where}: headline cites {claim.headline.proposition!r}, not one of its own"
            )


def _check_proposition(claim: Claim, proposition: Proposition) -> None:
    where = f"proposition {proposition.id!r}"
    match = PROPOSITION_ID.match(proposition.id)
    if match is None:
        raise CatalogError(f"{where}: id is not '<claim-id>/<name>' in kebab-case")
    if match.group(1) != claim.id:
        raise CatalogError(f"{where}: id does not start with its claim id {claim.id!r}")
    if not proposition.statement.strip():
        raise CatalogError(f"{where}: empty formal statement")
    unknown = sorted(set(proposition.scope) - set(SCOPE_KEYS))
    if unknown:
        raise CatalogError(
            f"{where}: unknown scope key(s) {', '.join(unknown)}; allowed: {', '.join(SCOPE_KEYS)}"
        )
    aggregation = proposition.scope.get("aggregation")
    if aggregation is not None and aggregation not in AGGREGATIONS:
        raise CatalogError(
            f"{where}: scope aggregation {aggregation!r} is not one of {', '.join(AGGREGATIONS)}"
        )
    if proposition.role not in tuple(Role):
        raise CatalogError(f"{where}: role {proposition.role!r} is not core or boundary")
    if proposition.expected not in EXPECTABLE_FINDINGS:
        raise CatalogError(
            f"{where}: expected finding {proposition.expected!r} must be HOLDS or FAILS"
        )
