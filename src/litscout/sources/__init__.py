"""Sources: one module per service (arxiv_api, arxiv_feed, s2, openalex), the HTTP layer they
share (http: rate limits, retries, 429s, honest errors) and merge (one paper from several).
"""
