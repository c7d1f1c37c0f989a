"""The unit vocabulary claims are normalised to.

A small, documented set so that two outlets' numbers can be compared:

- shares: "percent" (%, percent, per cent), "percentage point";
- money: ISO 4217 codes ("USD", "EUR", "GBP", "JPY", "CNY", "RUB", "UAH", ...)
  from symbols ("$", "€", "£", "C$"), codes and currency words; "cent" and "penny" for small change;
- area and length: "km2", "mi2", "m2", "ha", "km", "m", "cm", "mm", "mi", "ft", "yd", "in";
- mass, volume, speed, temperature: "kg", "g", "t" (tonne), "ton", "lb", "oz", "l", "ml", "gal", "barrel", "km/h",
  "mph", "C", "F", "degree"; area also "acre"; data and power: "GB", "MB", "kW", "MW", "GW", "hp";
- time: "second", "minute", "hour", "day", "week", "month", "year", "decade";
- ages: "year of age", "month of age", ... ("five years old", "a 28-year-old");
- rates: "<unit>/<unit>" ("barrels a day" -> "barrel/day", "$2 a share" -> "USD/share");
- counts of people: "person" (people, civilians, soldiers, troops, residents, ...).

Anything else is counted in the lemma of the noun the number modifies
("12 tanks" -> "tank"); a bare number has no unit (None).
"""

from __future__ import annotations

# Currency signs that stand before the number. "$" alone is read as USD, the
# most frequent reading in English news; prefixed forms name the dollar.
CURRENCY_SIGNS = {
    "$": "USD", "us$": "USD", "usd": "USD", "€": "EUR", "eur": "EUR", "£": "GBP", "gbp": "GBP",
    "¥": "JPY", "jpy": "JPY", "cny": "CNY", "rmb": "CNY", "a$": "AUD", "aud": "AUD", "c$": "CAD",
    "cad": "CAD", "hk$": "HKD", "nz$": "NZD", "chf": "CHF", "rub": "RUB", "₽": "RUB", "uah": "UAH",
    "₴": "UAH", "₹": "INR", "inr": "INR", "rs": "INR", "₩": "KRW", "krw": "KRW", "₪": "ILS", "ils": "ILS",
    "r": "ZAR", "zar": "ZAR", "rm": "MYR", "myr": "MYR", "sek": "SEK", "nok": "NOK", "dkk": "DKK",
}  # fmt: skip

# Units written after the number, keyed by their lower-case tokens; the
# longest match wins ("square kilometers" before "kilometers").
UNIT_WORDS: dict[tuple[str, ...], str] = {}


def _add(unit: str, *surfaces: str) -> None:
    for surface in surfaces:
        UNIT_WORDS[tuple(surface.split())] = unit


_add("percent", "%", "percent", "per cent", "pct", "pc", "percentage")
_add("percentage point", "percentage point", "percentage points", "points percentage")
_add(
    "km2",
    "square kilometers",
    "square kilometres",
    "square kilometer",
    "square kilometre",
    "sq km",
    "km2",
    "km²",
    "sq. km",
    "sqkm",
)
_add("mi2", "square miles", "square mile", "sq mi", "sq miles")
_add("m2", "square meters", "square metres", "square meter", "square metre", "sq m", "m2", "m²", "square feet")
_add("ha", "hectares", "hectare", "ha")
_add("km", "km", "kilometers", "kilometres", "kilometer", "kilometre", "kms")
_add("m", "meters", "metres", "meter", "metre")
_add("cm", "cm", "centimeters", "centimetres", "centimeter", "centimetre")
_add("mm", "mm", "millimeters", "millimetres", "millimeter", "millimetre")
_add("mi", "miles", "mile", "mi")
_add("ft", "feet", "foot", "ft")
_add("ft3", "cubic feet", "cubic foot", "cu ft")
_add("m3", "cubic meters", "cubic metres", "cubic meter", "cubic metre")
_add("yd", "yards", "yard", "yds", "yd")
_add("in", "inches", "inch")
_add("kg", "kg", "kilograms", "kilogrammes", "kilogram", "kilogramme", "kilos", "kilo")
_add("g", "grams", "grammes", "gram", "gramme")
_add("t", "tonnes", "tonne", "metric tons", "metric ton")
_add("ton", "tons", "ton")  # a short (US) or long (UK) ton, not a tonne
# Bare "pounds" is weight; claims.py reads it as GBP when the sum is scaled ("5 million pounds").
_add("lb", "lb", "lbs", "pounds", "pound")
_add("l", "liters", "litres", "liter", "litre")
_add("gal", "gallons", "gallon")
_add("ml", "ml", "milliliters", "millilitres", "milliliter", "millilitre")
_add("acre", "acres", "acre")
_add("oz", "oz", "ounces", "ounce")
_add("GB", "gb", "gigabytes", "gigabyte")
_add("MB", "mb", "megabytes", "megabyte")
_add("kW", "kw", "kilowatts", "kilowatt")
_add("MW", "mw", "megawatts", "megawatt")
_add("GW", "gw", "gigawatts", "gigawatt")
_add("hp", "hp", "horsepower", "bhp")
_add("barrel", "barrels", "barrel", "bpd")
_add(
    "km/h",
    "km/h",
    "kph",
    "kmh",
    "kilometers per hour",
    "kilometres per hour",
    "kilometres an hour",
    "kilometers an hour",
)
_add("mph", "mph", "miles per hour", "miles an hour")
_add(
    "C",
    "°c",
    "° c",
    "° celsius",
    "degrees c",
    "degree c",
    "degrees celsius",
    "degree celsius",
    "degrees centigrade",
    "celsius",
    "celcius",
    "c",
)
_add(
    "F",
    "°f",
    "° f",
    "° fahrenheit",
    "degrees f",
    "degree f",
    "degrees fahrenheit",
    "degree fahrenheit",
    "fahrenheit",
    "farenheit",
    "f",
)
_add("degree", "degrees", "degree", "°", "deg")
_add("C", "deg c", "deg celsius")
_add("F", "deg f", "deg fahrenheit")
_add("second", "seconds", "second", "secs", "sec")
_add("minute", "minutes", "minute", "mins", "min")
_add("hour", "hours", "hour", "hrs", "hr")
_add("day", "days", "day")
_add("week", "weeks", "week")
_add("month", "months", "month")
_add("year", "years", "year", "yrs", "annum")
_add("decade", "decades", "decade")
_add("USD", "dollars", "dollar", "us dollars", "us dollar", "u.s. dollars", "usd")
_add("AUD", "australian dollars", "australian dollar", "aussie dollars")
_add("CAD", "canadian dollars", "canadian dollar")
_add("HKD", "hong kong dollars", "hong kong dollar")
_add("NZD", "new zealand dollars", "new zealand dollar")
_add("cent", "cents", "cent")
_add("penny", "pence", "penny", "pennies")
_add("EUR", "euros", "euro", "eur")
_add("GBP", "pounds sterling", "sterling", "gbp")
_add("JPY", "yen", "japanese yen", "jpy")
_add("CNY", "yuan", "chinese yuan", "renminbi", "cny", "rmb", "元")
_add("TRY", "turkish lira", "lira", "liras")
_add("BTC", "bitcoin", "bitcoins", "btc")
_add("RUB", "roubles", "rubles", "rouble", "ruble", "rub")
_add("UAH", "hryvnias", "hryvnia", "hryvnas", "uah")
_add("INR", "rupees", "rupee", "rs")
_add("CHF", "swiss francs", "francs", "franc", "chf")

MAX_UNIT_TOKENS = max(len(k) for k in UNIT_WORDS)

# What a unit can be counted per ("barrels a day", "$5 a share"): the rate is
# written "barrel/day", "USD/share".
RATE_DENOMINATORS = frozenset(
    {
        "second",
        "minute",
        "hour",
        "day",
        "week",
        "month",
        "year",
        "share",
        "barrel",
        "gallon",
        "ounce",
        "capita",
        "person",
        "head",
    }
)
# "5 years old", "a 28-year-old": ages get their own units so they never meet durations.
AGE_UNITS = {"year": "year of age", "month": "month of age", "week": "week of age", "day": "day of age"}

# Units that measure a span of time: numbers with them are claims even inside
# spaCy DATE entities ("a thirty-day ceasefire", "three years").
DURATIONS = frozenset({"second", "minute", "hour", "day", "week", "month", "year", "decade"})
CURRENCIES = frozenset(CURRENCY_SIGNS.values()) | {"INR", "CHF", "TRY", "BTC", "SGD", "cent", "penny"}
# Letters written before a "$" that name the dollar ("C$", "HK $", "A$").
DOLLAR_PREFIXES = {
    "us": "USD",
    "u.s.": "USD",
    "c": "CAD",
    "ca": "CAD",
    "a": "AUD",
    "au": "AUD",
    "hk": "HKD",
    "nz": "NZD",
    "s": "SGD",
    "sg": "SGD",
}

# The vocabulary's own units (as opposed to counted nouns).
KNOWN = frozenset(UNIT_WORDS.values()) | CURRENCIES | frozenset(AGE_UNITS.values())

# Nouns counted as "person": people and the groups of people news counts.
PERSON_NOUNS = frozenset({
    "people", "person", "persons", "civilian", "soldier", "troop", "resident", "child", "children", "adult",
    "man", "men", "woman", "women", "worker", "employee", "refugee", "migrant", "casualty", "victim", "fighter",
    "prisoner", "hostage", "detainee", "protester", "demonstrator", "voter", "citizen", "inhabitant", "patient",
    "student", "passenger", "official", "member", "militant", "volunteer", "personnel", "serviceman",
    "servicemen", "individual", "survivor", "evacuee", "journalist", "staff", "teenager", "infant", "baby",
    "pilot", "sailor", "marine", "officer", "police", "policeman", "recruit", "conscript", "mercenary",
})  # fmt: skip


def match_unit(words: list[str]) -> tuple[str, int] | None:
    """The unit at the start of `words` (lower-case tokens) and how many tokens it takes, if any."""
    for size in range(min(MAX_UNIT_TOKENS, len(words)), 0, -1):
        unit = UNIT_WORDS.get(tuple(words[:size]))
        if unit is not None:
            return unit, size
    return None


def noun_unit(lemma: str) -> str:
    """The unit a counted noun gives a number: "person" for people, else the noun's lemma."""
    low = lemma.lower()
    return "person" if low in PERSON_NOUNS else low
