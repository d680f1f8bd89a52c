"""Vietnam's administrative units in force since 1 July 2025 (34 provinces,
3,321 communes) from the vietnam-provinces package, plus the 63 former
province names mapped to today's province."""
