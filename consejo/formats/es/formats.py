"""Spanish numbers as they are written in Bolivia: 19.280 and 7,5548 (Django's own Spanish
format separates thousands with a space). Every other format is Django's."""

DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "."
NUMBER_GROUPING = 3
