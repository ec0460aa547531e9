"""The report of a parent region (a city, a province): its children rolled up, ranked and compared."""
