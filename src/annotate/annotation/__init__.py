"""The linguistic layer: sentences, words (jieba via spaCy zh), UPOS, entities (LAC), pinyin.

    from annotate.annotation import Annotator
    Annotator(extra_words=glossary.forms()).annotate(doc)
"""

from .annotator import ANNOTATION_VERSION, Annotator, annotator_fingerprint
from .sentences import split_sentences

__all__ = ["ANNOTATION_VERSION", "Annotator", "annotator_fingerprint", "split_sentences"]
