"""The SMOG reading grade of patient information, and how editors are shown it.

The grades are checked against texts graded by hand: sentences counted, every word of three or
more syllables listed (syllables as a dictionary splits them), then McLaughlin's formula
worked out with a calculator. The browser tests (tests/browser/test_editor_checks.py) build
articles from HARD and EASY below and check that the editor sees the same grades, and that
the script in the browser counts exactly as this Python reference does.
"""

import json
import math
import re
from dataclasses import dataclass

import pytest
from django.urls import reverse
from wagtail.admin.userbar import ContentCheckerItem

from medical_content import factories
from medical_content.content_checks import SMOG_CHECK_ID, SMOG_RULE_ID
from medical_content.readability import (
    MIN_SENTENCES,
    TARGET_GRADE,
    count_syllables,
    sentences,
    smog,
    smog_grade,
    words,
)


@dataclass(frozen=True)
class HandGraded:
    """An article's readable text (what the page shows as title, standfirst, questions and
    answers) with its hand count: the polysyllables of each sentence, in reading order."""

    title: str
    standfirst: str
    questions: list[tuple[str, str]]
    polysyllables: list[list[str]]
    grade: str

    @property
    def blocks(self) -> list[str]:
        return [self.title, self.standfirst, *(text for qa in self.questions for text in qa)]


# 10 sentences (title 1, standfirst 2, first question 1 and answer 3, second 1 and 2);
# 36 polysyllables: 1.0430 * sqrt(36 * 30 / 10) + 3.1291 = 1.0430 * 10.3923 + 3.1291 = 13.968.
HARD = HandGraded(
    title="Anticoagulant medication explained",
    standfirst=(
        "Anticoagulant medication reduces the probability of venous thrombosis. "
        "Individualised monitoring is necessary during initiation."
    ),
    questions=[
        (
            "Why is laboratory monitoring necessary?",
            "Anticoagulation intensity varies considerably between individuals. Regular "
            "measurement identifies excessive or inadequate anticoagulation. Haemorrhage is "
            "the principal complication.",
        ),
        (
            "What medication alternatives exist?",
            "Direct oral anticoagulants require no laboratory monitoring. Nevertheless, "
            "pharmacological interactions remain important.",
        ),
    ],
    polysyllables=[
        ["Anticoagulant", "medication"],
        ["Anticoagulant", "medication", "reduces", "probability", "thrombosis"],
        ["Individualised", "monitoring", "necessary", "initiation"],
        ["laboratory", "monitoring", "necessary"],
        ["Anticoagulation", "intensity", "considerably", "individuals"],
        ["Regular", "measurement", "identifies", "excessive", "inadequate", "anticoagulation"],
        ["Haemorrhage", "principal", "complication"],
        ["medication", "alternatives"],
        ["anticoagulants", "laboratory", "monitoring"],
        ["Nevertheless", "pharmacological", "interactions", "important"],
    ],
    grade="14.0",
)

# 13 sentences; 2 polysyllables (properly: prop-er-ly, podiatrist: po-di-a-trist):
# 1.0430 * sqrt(2 * 30 / 13) + 3.1291 = 1.0430 * 2.1483 + 3.1291 = 5.370.
EASY = HandGraded(
    title="Looking after your feet",
    standfirst="Good care of your feet helps you stay well. Here is what to do each day.",
    questions=[
        (
            "How do I check my feet?",
            "Look at your feet every day. Use a mirror to see the soles. Tell your nurse "
            "about any cuts or sores.",
        ),
        (
            "How should I wash them?",
            "Wash them in warm water and dry them well. Dry well between your toes.",
        ),
        (
            "What shoes are best?",
            "Wear soft shoes that fit you properly. Your podiatrist can give you more advice.",
        ),
    ],
    polysyllables=[[]] * 11 + [["properly"], ["podiatrist"]],
    grade="5.4",
)

# Words with their syllables as a dictionary splits them, grouped by the rule they exercise.
SYLLABLES = {
    "vowel groups": {"blood": 1, "treatment": 2, "thrombosis": 3, "pulmonary": 4},
    "silent final e": {"make": 1, "hormone": 2, "medicine": 3, "examine": 3},
    "-le and -re endings": {"table": 2, "people": 2, "possible": 3, "centre": 2},
    "-es endings": {"makes": 1, "minutes": 2, "changes": 2, "causes": 2, "reduces": 3},
    "-ed endings": {"jumped": 1, "advised": 2, "treated": 2, "diagnosed": 3},
    "silent e before a suffix": {"likely": 2, "safely": 2, "safety": 2, "movement": 2},
    "compounds": {"sometimes": 2, "someone": 2, "lifestyle": 2, "therefore": 2, "anyone": 3},
    "vowel pairs read as two": {"calcium": 3, "period": 3, "usual": 3, "area": 3, "idea": 3},
    "vowel pairs read as one": {"infection": 3, "special": 2, "region": 2, "quality": 3},
    "-ism, -ier": {"autism": 3, "easier": 3},
    "initialisms": {"NHS": 3, "DVT": 3, "MRI": 3, "GP": 2, "NICE": 1, "COVID": 2},
    "hyphens and apostrophes": {"D-dimer": 3, "life-threatening": 4, "don't": 1},
    "exceptions": {"every": 2, "evening": 2, "business": 2},
}


class TestCountSyllables:
    @pytest.mark.parametrize(
        ("word", "expected"),
        [
            pytest.param(word, count, id=f"{rule}: {word}")
            for rule, counts in SYLLABLES.items()
            for word, count in counts.items()
        ],
    )
    def test_counts_as_a_dictionary_does(self, word: str, expected: int) -> None:
        assert count_syllables(word) == expected

    def test_numbers_are_not_words(self) -> None:
        assert words("Call 999 or take 2.5 mg") == ["Call", "or", "take", "mg"]


class TestSentences:
    def test_a_block_ends_a_sentence_even_without_a_full_stop(self) -> None:
        assert sentences("Preventing clots when you travel") == [
            "Preventing clots when you travel"
        ]

    def test_full_stops_question_and_exclamation_marks_end_sentences(self) -> None:
        assert sentences("It is a clot (a DVT). Is it serious? Call 999 now! Then rest") == [
            "It is a clot (a DVT)",
            "Is it serious",
            "Call 999 now",
            "Then rest",
        ]

    def test_abbreviations_and_decimals_do_not(self) -> None:
        assert len(sentences("Ask Dr. Lee, e.g. about a 2.5 mg dose. Then rest.")) == 2


class TestSmog:
    def test_formula_at_a_perfect_square(self) -> None:
        # 3 polysyllables in 10 sentences: sqrt(3 * 30 / 10) = 3, so 1.0430 * 3 + 3.1291.
        assert smog_grade(3, 10) == pytest.approx(6.2581)

    def test_grades_ten_sentences_with_three_polysyllables(self) -> None:
        blocks = ["Take your medicine."] * 3 + ["Rest."] * 7
        result = smog(blocks)
        assert (result.sentences, result.polysyllables) == (10, 3)
        assert f"{result.grade:.1f}" == "6.3"
        assert not result.above_target

    def test_text_without_long_words_grades_at_the_formula_floor(self) -> None:
        assert smog(["Rest."] * 30).grade == pytest.approx(3.1291)

    def test_text_under_ten_sentences_is_too_short_to_grade(self) -> None:
        assert MIN_SENTENCES == 10
        short = smog(["Take your medicine."] * 9)
        assert short.grade is None
        assert not short.above_target
        assert smog(["Take your medicine."] * 10).grade is not None

    @pytest.mark.parametrize("article", [HARD, EASY], ids=["hard", "easy"])
    def test_finds_the_hand_counted_polysyllables(self, article: HandGraded) -> None:
        found = [
            [word for word in words(sentence) if count_syllables(word) >= 3]
            for block in article.blocks
            for sentence in sentences(block)
        ]
        assert found == article.polysyllables

    @pytest.mark.parametrize("article", [HARD, EASY], ids=["hard", "easy"])
    def test_grades_the_hand_graded_articles(self, article: HandGraded) -> None:
        result = smog(article.blocks)
        count = sum(len(found) for found in article.polysyllables)
        hand = 1.0430 * math.sqrt(count * 30 / len(article.polysyllables)) + 3.1291
        assert result.sentences == len(article.polysyllables)
        assert result.grade == pytest.approx(hand)
        assert f"{result.grade:.1f}" == article.grade

    def test_hard_article_is_above_the_target_and_easy_one_within(self) -> None:
        assert TARGET_GRADE == 10
        assert smog(HARD.blocks).above_target
        assert not smog(EASY.blocks).above_target


def axe_configuration(html: str) -> dict:
    """The axe configuration Wagtail put in the page (editor or userbar)."""
    found = re.search(
        r'<script id="checker-axe-configuration" type="application/json">(.*?)</script>',
        html,
        re.S,
    )
    assert found, "no axe configuration in the page"
    return json.loads(found.group(1))


@pytest.mark.django_db
class TestWiring:
    """Which pages carry the check, and that Wagtail's own checks stay on."""

    def test_article_editor_adds_the_check_to_wagtails_own(self, admin_client, article_index):
        article = factories.ArticlePageFactory(parent=article_index)
        response = admin_client.get(reverse("wagtailadmin_pages:edit", args=[article.pk]))
        html = response.content.decode()
        config = axe_configuration(html)

        assert config["options"]["runOnly"] == [*ContentCheckerItem.axe_run_only, SMOG_RULE_ID]
        rule_ids = [rule["id"] for rule in config["spec"]["rules"]]
        assert rule_ids == ["alt-text-quality", "empty-meta-description", SMOG_RULE_ID]
        (check,) = [c for c in config["spec"]["checks"] if c["id"] == SMOG_CHECK_ID]
        assert check["options"]["target"] == TARGET_GRADE
        assert config["messages"][SMOG_RULE_ID]["error_name"] == (
            "Reading level too high for patient information"
        )
        assert 'id="medical-content-smog-metric"' in html
        assert "medical_content/readability.js" in html

    def test_other_page_editors_keep_wagtails_checks_only(self, admin_client, home):
        response = admin_client.get(reverse("wagtailadmin_pages:edit", args=[home.pk]))
        config = axe_configuration(response.content.decode())

        assert config["options"]["runOnly"] == ContentCheckerItem.axe_run_only
        assert SMOG_RULE_ID not in json.dumps(config)

    def test_userbar_on_an_article_loads_the_check_and_its_script(
        self, admin_client, article_index
    ):
        article = factories.ArticlePageFactory(parent=article_index)
        html = admin_client.get(article.url).content.decode()

        assert SMOG_RULE_ID in axe_configuration(html)["options"]["runOnly"]
        assert '<script src="/static/medical_content/readability.js"></script>' in html

    def test_userbar_on_other_pages_does_not(self, admin_client, home):
        html = admin_client.get(home.url).content.decode()

        assert SMOG_RULE_ID not in axe_configuration(html)["options"]["runOnly"]
        assert "readability.js" not in html
