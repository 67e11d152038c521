"""The legal core: pure, typed rules for periods, money and errors (design.md §3)."""
