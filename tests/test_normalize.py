"""Text normalisation: what users type is folded the same way as curated phrasings."""

from faq.normalize import MAX_QUESTION_CHARS, normalize, words


def test_apostrophes_and_curly_quotes_disappear_inside_words() -> None:
    assert normalize("Writer’s cramp") == normalize("writer's cramp") == "writers cramp"


def test_case_accents_punctuation_and_emoji_are_folded() -> None:
    assert normalize("  WHAT is DYSTONÍA??? 😢  ") == "what is dystonia"


def test_html_like_text_becomes_plain_words() -> None:
    assert normalize("<b>neck</b> & <script>alert(1)</script> a<b") == "neck a b"


def test_letters_repeated_for_emphasis_are_shortened() -> None:
    assert normalize("heyyyyy") == "heyy"
    assert normalize("pleeeease help") == "pleease help"


def test_a_word_spelled_out_letter_by_letter_is_read_as_the_word() -> None:
    assert normalize("the neuro wrote D-Y-S-T-O-N-I-A") == "the neuro wrote dystonia"
    assert normalize("d.y.s.t.o.n.i.a?") == "dystonia"
    assert normalize("an x-ray or an e-mail") == "an x ray or an e mail"  # short ones stay words


def test_text_without_words_normalises_to_nothing() -> None:
    assert words("🙂🙂 ?!") == []


def test_huge_text_is_cut_before_work_is_done() -> None:
    assert len(normalize("neck " * 100_000)) <= 2 * MAX_QUESTION_CHARS


def test_a_dose_written_as_one_word_is_a_number_and_a_unit() -> None:
    assert normalize("is 2mg ok? or 0.5ml, 10 mg") == "is 2 mg ok or 0 5 ml 10 mg"
    assert normalize("the dyt1 gene") == "the dyt1 gene"  # not a unit: left alone
