"""The merged print file's 目录 numbers: each document's pages counted from its text."""

from wenmi.model import Bundle, Document, Paragraph, Text
from wenmi.writers.bundle import estimated_pages, first_pages

LINE = "围绕职工最关心的就业收入安全问题分片包干逐户走访把服务送到车间"   # 30 characters


def document(paragraphs: int) -> Document:
    """A title line, a blank line, `paragraphs` paragraphs of two lines (2 + 30 characters
    is more than one line of 28), a blank line, the 署名 and the date."""
    return Document(title="标题", blocks=tuple(Paragraph((Text(LINE),)) for _ in range(paragraphs)),
                    issuer="青禾县总工会", date="2024年12月25日")


def test_pages_are_counted_at_22_lines_of_28_characters():
    assert estimated_pages(document(0)) == 1
    assert estimated_pages(document(8)) == 1                 # 2 + 16 + 3 = 21 lines
    assert estimated_pages(document(9)) == 2                 # 23 lines
    assert estimated_pages(document(19)) == 2                # 43 lines
    assert estimated_pages(document(20)) == 3                # 45 lines


def test_each_document_starts_after_the_pages_of_those_before_it():
    assert first_pages(Bundle((document(8), document(9), document(20), document(0)))) == [1, 2, 4, 7]
