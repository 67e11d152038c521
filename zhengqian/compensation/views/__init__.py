"""Staff pages of the compensation app, one module per family (standards, valuations,
publicity, agreements)."""
