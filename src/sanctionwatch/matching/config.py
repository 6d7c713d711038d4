"""Every weight and threshold of the scorer, in one reviewed place.

Change a value here only with the eval figures before and after (``sanctionwatch eval``); the
defaults were tuned on ../shared/eval/dev and are documented in docs/matching.md.
"""

from __future__ import annotations

from dataclasses import dataclass

from sanctionwatch.matching.align import AlignParams

__all__ = ["DEFAULT_CONFIG", "ScoringConfig"]


@dataclass(frozen=True, slots=True)
class ScoringConfig:
    """Scorer weights and thresholds.

    Attributes:
        threshold: A hit with a score at or above this is an alert (``match``).
        min_score: Hits below this are not returned at all.
        edit_exponent: Power applied to the edit similarity of two tokens (``1 - distance/length``).
        korean_similarity: Similarity of two tokens that are spellings of the same Korean syllable.
        abbreviation_similarity: Similarity of a word and its abbreviation (``intl`` ~
            ``international``; ``text/data/abbreviations.yml``).
        numeral_similarity: Similarity of a number in digits and in words (``44`` ~
            ``forty-four``, ``1st`` ~ ``first``).
        phonetic_similarity: Similarity of two tokens of six letters or more with the same
            first letter and consonant skeleton (``Hezbollah`` ~ ``Hizballah``); 0 turns it off.
        korean_mismatch_factor: Multiplier of the edit similarity of two tokens that are
            *different* valid Korean syllables (``kang``/``sang``: different names, not typos).
        weak_token_factor: Weight multiplier of honorifics, titles and particles.
        legal_token_factor: Weight multiplier of legal forms (Ltd, Corp, JSC...).
        weak_alias_factor: Score multiplier when the best name is a weak (low-quality) alias.
        coverage_strictness: Blend of the name score's denominator between the mean of both names'
            weights (0: weighted Dice) and the larger one (1: every part of the longer name counts
            in full), so a query naming two of three listed parts scores lower.
        cover_unmatched_factor: In the coverage score (a name whose every part matches part of a
            longer one: ``Ali Khamenei`` in ``KHAMENEI, Ali Husseini``), the weight of the longer
            name's unmatched parts; 1 turns the coverage score off.
        cover_query_factor: The same for a query that holds the whole of a shorter listed name
            plus parts of its own (``Robert Henry Anderson`` for ``Robert Anderson``): the extra
            parts of a customer's name are weaker evidence against than missing listed ones.
        cover_information: Bits the matched parts of a coverage match must carry for it to count
            in full (below, it is scaled down): a short form made of common parts
            (``Ahmed Ali``) cannot claim a longer listed name.
        initial_similarity: Similarity of an initial and a name part it begins (``V.`` ~
            ``Vladimir``), either side; 0 turns initials off.
        initial_bits: Most information an initial carries, as a token and as a pair: the rest of
            the full name it stands for counts as unmatched.
        initial_only_cap: Highest name score of names that agree on fewer than two full parts
            besides initials: ``V. Putin`` finds ``PUTIN, Vladimir`` first but does not alert
            on its name alone (a birth date or an identifier can make it).
        chain_order_factor: Score factor of an Arabic ``X bin Y`` chain matched backwards
            (``SALMAN BIN MUHAMMAD`` vs ``MUHAMMAD BIN SALMAN``).
        legal_mismatch_factor: Score factor when both names carry legal forms and none agrees
            (``Deutsche Bank AG`` vs ``Deutsche Bank GmbH``: a different company).
        number_mismatch_factor: Score factor when a number (digits, Roman numeral) is left
            unmatched (``... Solutions`` vs ``... Solutions II``: a different entity).
        min_information: Bits of name information the matched tokens must carry for a full score;
            below it the name score is scaled down, so a lone ``Kim`` or ``Mohammed`` cannot alert.
        unseen_token_bits: Information of a query token no listed name contains.
        dob_match_bonus: Added when a birth date agrees at day precision.
        dob_year_bonus: Added when birth years agree (or a listed range/circa covers it).
        dob_mismatch_penalty: Subtracted when birth dates contradict each other.
        country_match_bonus: Added when the query country is among the entity's countries.
        country_mismatch_penalty: Subtracted when both have countries and none agree.
        identifier_match_bonus: Added when an identifier (passport, IMO...) matches exactly.
        identifier_floor_margin: An exact identifier match scores at least the request's alert
            threshold plus this (capped at 1), so it alerts whatever the name says.
        list_precedence: Order of lists among hits of equal score: the same person is often
            listed by several authorities with the same name; the originating designation (UN)
            comes first. Lists not named here come after, by key.
    """

    threshold: float = 0.80
    min_score: float = 0.65
    edit_exponent: float = 2.0
    korean_similarity: float = 0.95
    korean_mismatch_factor: float = 0.5
    abbreviation_similarity: float = 0.95
    numeral_similarity: float = 0.95
    phonetic_similarity: float = 0.8
    weak_token_factor: float = 0.15
    legal_token_factor: float = 0.25
    weak_alias_factor: float = 0.95
    coverage_strictness: float = 0.5
    cover_unmatched_factor: float = 0.25
    cover_query_factor: float = 0.6
    cover_information: float = 20.0
    initial_similarity: float = 0.9
    initial_bits: float = 5.2
    initial_only_cap: float = 0.79
    chain_order_factor: float = 0.6
    legal_mismatch_factor: float = 0.85
    number_mismatch_factor: float = 0.85
    min_information: float = 11.0
    unseen_token_bits: float = 12.0
    dob_match_bonus: float = 0.08
    dob_year_bonus: float = 0.04
    dob_mismatch_penalty: float = 0.30
    country_match_bonus: float = 0.03
    country_mismatch_penalty: float = 0.08
    identifier_match_bonus: float = 0.40
    identifier_floor_margin: float = 0.10
    list_precedence: tuple[str, ...] = ("un-sc", "us-ofac-sdn", "eu-fsf", "uk-ofsi", "us-ofac-cons", "us-csl")

    def list_rank(self, list_key: str) -> int:
        """Position of a list in :attr:`list_precedence` (unknown lists last)."""
        try:
            return self.list_precedence.index(list_key)
        except ValueError:
            return len(self.list_precedence)

    @property
    def align_params(self) -> AlignParams:
        """The settings :func:`~sanctionwatch.matching.align.align` needs."""
        return AlignParams(
            self.min_information,
            self.coverage_strictness,
            self.cover_unmatched_factor,
            self.cover_query_factor,
            self.cover_information,
            self.initial_similarity,
            self.initial_bits,
            self.initial_only_cap,
            self.chain_order_factor,
            self.legal_mismatch_factor,
            self.number_mismatch_factor,
        )

    @property
    def max_bonus(self) -> float:
        """The most evidence can add to a name score (for exact candidate pruning)."""
        return self.dob_match_bonus + self.country_match_bonus + self.identifier_match_bonus


DEFAULT_CONFIG = ScoringConfig()
