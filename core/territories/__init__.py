"""Territories: the region, its academies, departments, education basins and communes."""
