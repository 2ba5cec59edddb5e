"""How the catalog's propositions were registered: the records several claim modules share.

README, "Registration": every proposition says whether its current role, expectation and
thresholds were registered `blind` (before any result of it, or of a design measuring it, was
seen) or `informed` (knowing results: which, and where). These are the registrations the
history of this catalog gives, told as they happened:

- 7eeefb0, fd27c7a, 2422b93, 229938f (2026-11-26): the first claims, written in the same commits
  as their tests, so the history cannot show an expectation came before its result.
- 42fb02f (2026-11-29): the role re-audit, catalog-only, but written after the report of
  2026-11-26 had shown these very results (Adam's update ratio ≈ 1, the twins' D/A ratios); it
  moved the Adam and GELU propositions to asserted and turned three claims REFUTED: informed.
- c153905 (2026-11-29): the real chat model, before any measurement on the full model (its
  instruments had run on a tiny random Llama and two real layers only): blind.
- 4e9ea23, 016c189, 9bdd962: re-registrations after results, each with its note: informed.
- The re-audit under "the weakest faithful reading" (issue "Verdicts a referee would sign"):
  catalog-only, made knowing every result the report of 2026-11-29 showed: informed, except
  designs never run before it (each says so: blind).
- The referee's review of that re-audit (a fresh reader shown only the source sentences and the
  statements, no results), applied in a second catalog-only commit. Before it, one partial run
  of the re-audit's new tests had been seen (stopped at its first failure: the comparative and
  motive grids, the signed and unsigned S20 grids, S03's on/off and graded grids and S05's
  ride-along held as registered; own-behaviour-untouched-relu-adam failed its blind HOLDS):
  informed by that run where a proposition's design is one it measured.
"""

from claims.engine.records import blind, informed

AUDIT_42FB02F = informed(
    known="Role and expectation set by the catalog-only re-audit 42fb02f, written after the report of "
    "2026-11-26 (commits 7eeefb0-229938f, which added catalog and tests together) had shown this "
    "proposition's result.",
    commit="42fb02f",
)
CHAT_C153905 = blind(
    known="Registered with the real chat model's design before any measurement on the full model (the "
    "instruments had run on a tiny random Llama and SmolLM2's first two layers only).",
    commit="c153905",
)
# The re-audit's commit (named in the catalog-only commit after it).
REAUDIT = "2c120ad"


# The review's commit (named likewise).
REVIEW = "734d42e"


def reviewed(known: str):
    """Informed, registered by the referee's review: ``known`` says what was known, and where."""
    return informed(known=f"Registered after the referee's review, knowing: {known}", commit=REVIEW)


def review_blind(known: str):
    """Registered by the review before any result of the proposition or its design existed."""
    return blind(known=f"Referee's review, a design never run before it: {known}", commit=REVIEW)


# The real chat model under GRPO (issue "The argument decided where it lives"): registered in a
# catalog-only commit before the first deep run and before any claim test of it ran; named in
# the catalog-only commit after it.
GRPO_REGISTRATION = "e678889"


def grpo_blind(known: str):
    """The GRPO design's propositions whose quantities no run had produced."""
    return blind(
        known=f"Registered before any run of this measure: {known}", commit=GRPO_REGISTRATION
    )


def grpo_informed(known: str):
    """The GRPO design's propositions whose quantity a run had shown (said which)."""
    return informed(known=f"Registered knowing: {known}", commit=GRPO_REGISTRATION)


# What the review knew of the re-audit's new tests (one partial run, stopped at its first
# failure); registrations that rest on it name it.
PARTIAL_RUN = (
    "the re-audit's first partial run of its new tests (comparative, motive, own-behaviour, "
    "signed and unsigned S20, S03 on/off and graded, S05 ride-along; stopped at "
    "own-behaviour-untouched-relu-adam)"
)


def reaudited(known: str):
    """Informed by the re-audit: ``known`` says which results were seen, and where."""
    return informed(
        known=f"Re-audit under the weakest faithful reading, knowing: {known}", commit=REAUDIT
    )


def reaudit_blind(known: str):
    """Registered by the re-audit before any result of the proposition or its design existed."""
    return blind(known=f"Re-audit, a design never run before it: {known}", commit=REAUDIT)


def role_moved(why: str, *, by: str = "the re-audit (2c120ad)") -> str:
    """A re-registration note for a proposition whose role moved after its result was seen."""
    return (
        f"Role moved by {by}, after the report of 2026-11-29 had shown this proposition's "
        f"result: {why}. Expectation, statement and design unchanged."
    )
