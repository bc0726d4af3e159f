"""``gaizao policy draft``: a published plan, notice or report → a draft policy folder, every value with its quote.

extract.py reads the file (TXT, DOCX, PDF text layer, HTML) into paragraphs; segment.py finds the document's parts
(版头, 文号, 标题, 主送, 正文, 成文日期, 方案标题, 一、…, （一）…, 附件) and gives each paragraph a clause id;
rules.py reads values with plain regular expressions and word lists (no model, no network); write.py writes
policy.yaml, text.yaml (the source text) and questions.yaml (what a person must answer). Nothing is guessed: a value
is drafted only with the words it was read from, and those words are checked to be in its clause.
"""
from generator.policy.draft.pipeline import Draft, draft_file, draft_text

__all__ = ["Draft", "draft_file", "draft_text"]
