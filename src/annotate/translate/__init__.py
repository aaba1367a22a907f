"""Translation: offline MT with argostranslate, and the word gloss."""
