"""ISO 3166-1 alpha-2 country codes, from pycountry's copy of the ISO standard (not a list of our own)."""

import pycountry

ISO_COUNTRIES = frozenset(country.alpha_2 for country in pycountry.countries)


def is_country(code: str) -> bool:
    return code in ISO_COUNTRIES
