"""Ranking, pure functions: velocity now (velocity.py), the score and sorts (score.py) and
"is this still recent?" (recent.py). No I/O here.
"""
