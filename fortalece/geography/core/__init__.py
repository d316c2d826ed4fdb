"""Geography's pure core: plain Python, no Django (names from pycountry)."""
