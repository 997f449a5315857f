"""Finding papers: the search engine (engine.py: sources → store → rank), the field's vocabulary
(terms.py), and the dated citation data behind velocity (dated.py: OpenAlex in batches).
"""
