"""Blocks shared by the page types: one BodyBlock stream reused everywhere."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock


class CalloutBlock(blocks.StructBlock):
    title = blocks.CharBlock(
        label=pgettext_lazy("block", "Title"), required=False, help_text=_("Short heading of the highlighted box")
    )
    text = blocks.RichTextBlock(label=pgettext_lazy("block", "Text"), features=["bold", "italic", "link", "ol", "ul"])

    class Meta:
        label = pgettext_lazy("block", "Callout")
        icon = "warning"
        template = "blocks/callout.html"
        preview_value = {"title": "请注意", "text": "<p>办理时请携带本人居民身份证原件。</p>"}


class DocumentLinkBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=pgettext_lazy("block", "Document"))
    title = blocks.CharBlock(
        label=pgettext_lazy("block", "Link text"), required=False, help_text=_("Link text; the document title if empty")
    )

    class Meta:
        label = pgettext_lazy("block", "Document")
        icon = "doc-full"
        template = "blocks/document_link.html"


class BodyBlock(blocks.StreamBlock):
    heading = blocks.CharBlock(
        label=pgettext_lazy("block", "Heading"), form_classname="title", icon="title", template="blocks/heading.html"
    )
    paragraph = blocks.RichTextBlock(
        label=pgettext_lazy("block", "Paragraph"),
        features=["h3", "h4", "bold", "italic", "link", "ol", "ul", "document-link"],
    )
    callout = CalloutBlock()
    document = DocumentLinkBlock()


class MaterialBlock(blocks.StructBlock):
    name = blocks.CharBlock(
        label=pgettext_lazy("block", "Name"), help_text=_("The document or item to bring, e.g. resident ID card")
    )
    note = blocks.CharBlock(
        label=pgettext_lazy("block", "Note"), required=False, help_text=_("Original or copy, how many, conditions")
    )

    class Meta:
        label = pgettext_lazy("block", "Material")
        icon = "doc-empty"
        template = "blocks/material.html"
        preview_value = {"name": "居民身份证", "note": "原件及复印件一份"}


class StepBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=pgettext_lazy("block", "Title"), help_text=_("What the applicant does in this step"))
    description = blocks.TextBlock(
        label=pgettext_lazy("block", "Details"), required=False, help_text=_("Details, in plain text")
    )

    class Meta:
        label = pgettext_lazy("block", "Step")
        icon = "list-ol"
        template = "blocks/step.html"
        preview_value = {"title": "提交材料", "description": "到户籍窗口提交申请材料。"}
