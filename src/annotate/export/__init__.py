"""Exports for corpus tools and translators: TEI P5, vertical (CWB), CoNLL-U, TMX."""
