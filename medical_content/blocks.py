"""StreamField blocks of an article body.

Articles are written as questions and answers, grouped into named sub-topic sections, with
callouts for urgent advice, captioned images and a list of sources. Each block renders with its
own template under medical_content/templates/medical_content/blocks/, which a theme or a
host site overrides the usual way (an app or template folder listed before this app).
Every line an editor types in a block (a question, a heading, a caption, a link) is a
`LineBlock` or a `LinkBlock`: a control character in it is an error on that block.
"""

from wagtail import blocks
from wagtail.images.blocks import ImageBlock

from safe_text.control_characters import validate_single_line
from safe_text.rich_text import SafeRichTextBlock

from .choices import CalloutLevel

_PARAGRAPH_FEATURES = ["bold", "italic", "link", "ol", "ul"]

# Preview values shared by a block and the blocks that show it inside themselves.
_QUESTION_PREVIEW = {
    "question": "What are the symptoms?",
    "answer": "<p>Pain, swelling and warmth in one leg are the most common signs.</p>",
}
_CALLOUT_PREVIEW = {
    "level": CalloutLevel.URGENT,
    "heading": "Call 999 if you are short of breath",
    "text": "<p>Sudden breathlessness or chest pain can mean a clot has moved.</p>",
}
_SOURCE_PREVIEW = {
    "title": "Venous thromboembolic diseases: diagnosis and management",
    "publisher": "A national guideline body",
    "year": 2023,
}


class SingleLineMixin:
    """For a field block holding one line an editor types: control characters are refused
    (safe_text). Migrations freeze it as the Wagtail block it extends, as Wagtail does for
    ChoiceBlock subclasses: the rule changes what an editor may save, not the stored data."""

    frozen_as = ""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.field.validators.append(validate_single_line)

    def deconstruct(self):
        _path, args, kwargs = super().deconstruct()
        return (self.frozen_as, args, kwargs)


class LineBlock(SingleLineMixin, blocks.CharBlock):
    """One line of plain text: a question, a heading, a caption, a source's title."""

    frozen_as = "wagtail.blocks.CharBlock"


class LinkBlock(SingleLineMixin, blocks.URLBlock):
    """A web address (Django's URL check lets most control characters through)."""

    frozen_as = "wagtail.blocks.URLBlock"


class ParagraphBlock(SafeRichTextBlock):
    """Plain prose: paragraphs, emphasis, links and lists, no headings."""

    def __init__(self, **kwargs):
        kwargs.setdefault("features", _PARAGRAPH_FEATURES)
        super().__init__(**kwargs)

    class Meta:
        icon = "pilcrow"
        template = "medical_content/blocks/paragraph_block.html"
        description = "Paragraphs of text with emphasis, links and lists."
        preview_value = (
            "<p>Most people recover fully with treatment. Keep taking your medicine for as "
            "long as your doctor advises.</p>"
        )


class QuestionAnswerBlock(blocks.StructBlock):
    """One question a patient asks, as a heading, and its answer."""

    question = LineBlock(max_length=200, help_text="Phrase it the way a patient would ask it.")
    answer = ParagraphBlock()

    class Meta:
        icon = "help"
        template = "medical_content/blocks/question_answer_block.html"
        description = "A patient's question as a heading, followed by the answer."
        preview_value = _QUESTION_PREVIEW


class SubtopicSectionBlock(blocks.StructBlock):
    """A named section grouping related questions under one sub-topic heading."""

    heading = LineBlock(max_length=120, help_text="The sub-topic's name.")
    introduction = ParagraphBlock(required=False)
    questions = blocks.ListBlock(QuestionAnswerBlock(), min_num=1)

    class Meta:
        icon = "folder-open-inverse"
        template = "medical_content/blocks/subtopic_section_block.html"
        description = "A named sub-topic with its own introduction and questions."
        preview_value = {
            "heading": "Travelling by air",
            "introduction": "<p>Long flights raise the risk of clots a little.</p>",
            "questions": [_QUESTION_PREVIEW],
        }


class CalloutBlock(blocks.StructBlock):
    """Advice that must stand out, such as when to call an ambulance."""

    level = blocks.ChoiceBlock(choices=CalloutLevel.choices, default=CalloutLevel.URGENT)
    heading = LineBlock(max_length=120)
    text = ParagraphBlock()

    class Meta:
        icon = "warning"
        template = "medical_content/blocks/callout_block.html"
        description = "A highlighted box for urgent or important advice."
        preview_value = _CALLOUT_PREVIEW


class CaptionedImageBlock(blocks.StructBlock):
    """An image with alt text, a visible caption and an optional credit."""

    image = ImageBlock()
    caption = LineBlock(max_length=250, help_text="Shown under the image.")
    credit = LineBlock(max_length=120, required=False)

    class Meta:
        icon = "image"
        template = "medical_content/blocks/captioned_image_block.html"
        description = "An image with a caption and credit."
        preview_value = {"caption": "Where the deep veins of the leg run."}


class SourceBlock(blocks.StructBlock):
    """One published source that the article relies on."""

    title = LineBlock(max_length=300)
    publisher = LineBlock(max_length=200, required=False)
    year = blocks.IntegerBlock(min_value=1800, max_value=2100, required=False)
    url = LinkBlock(required=False, label="Link")

    class Meta:
        icon = "doc-full"
        template = "medical_content/blocks/source_block.html"
        description = "A reference to a guideline, study or other source."
        preview_value = _SOURCE_PREVIEW


class SourcesBlock(blocks.StructBlock):
    """The numbered list of sources, usually at the end of an article."""

    heading = LineBlock(max_length=80, default="Sources")
    sources = blocks.ListBlock(SourceBlock(), min_num=1)

    class Meta:
        icon = "list-ol"
        template = "medical_content/blocks/sources_block.html"
        description = "A numbered list of the sources the article is based on."
        preview_value = {
            "heading": "Sources",
            "sources": [_SOURCE_PREVIEW],
        }


class ArticleBodyBlock(blocks.StreamBlock):
    """The body of an article: prose, questions, sub-topics, callouts, images, sources."""

    paragraph = ParagraphBlock()
    question = QuestionAnswerBlock()
    subtopic = SubtopicSectionBlock()
    callout = CalloutBlock()
    image = CaptionedImageBlock()
    sources = SourcesBlock()

    class Meta:
        icon = "doc-full-inverse"
        template = "medical_content/blocks/article_body_block.html"
        description = "The body of a patient-information article."
        preview_value = [
            ("question", _QUESTION_PREVIEW),
            ("callout", _CALLOUT_PREVIEW),
        ]
        block_counts = {"sources": {"max_num": 1}}
