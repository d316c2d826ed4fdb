"""The cascade's pure core: plain Python, no Django, tested without a database.

``graph`` is the reference the recursive SQL of ``selectors`` is tested against; ``accreditation``
holds the criteria a candidate meets and the expiry arithmetic.
"""
